/**
 * Gives a plain Node child the `process.parentPort` Electron gives a utility process, over the
 * Node IPC channel: messages arrive as `{ data }` like Electron's MessageEvent.
 */
process.parentPort = {
  on(event, listener) {
    if (event === 'message') process.on('message', (data) => listener({ data }));
  },
  postMessage(message) {
    process.send(message);
  },
};
