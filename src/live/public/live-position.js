/* Where the page stands in the event stream: the last position (seq) it saw, in the stream named
 * by its epoch. A reconnect resumes from there, so the events sent meanwhile can be listed. */

const positionOut = document.getElementById('position');

let seq = null;
let epoch = null;

/** `?after=N&epoch=…` once a position is known: the server replays what came after it. */
export function resumeQuery() {
  return seq === null ? '' : `?after=${seq}&epoch=${encodeURIComponent(epoch)}`;
}

export function setPosition(nextSeq, nextEpoch = epoch) {
  if (!Number.isSafeInteger(nextSeq) || typeof nextEpoch !== 'string') {
    return;
  }
  seq = nextSeq;
  epoch = nextEpoch;
  positionOut.dataset.seq = String(seq);
  positionOut.textContent = `at #${seq}`;
  positionOut.title = `stream ${epoch}`;
}
