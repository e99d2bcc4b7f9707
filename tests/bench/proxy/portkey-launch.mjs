// Starts the peer gateway, @portkey-ai/gateway 1.15, the way its own start script does
// (node_modules/@portkey-ai/gateway/build/start-server.js takes `--port=N` and `--headless`),
// with two changes, both outside its code:
//
// 1. Bound to 127.0.0.1. Its server calls listen(port) without a host, which would bind every
//    interface; the benchmark stays on loopback.
//
// 2. Streaming works. As `npm ci` installs it (with @hono/node-server 1.19), every streamed chat
//    completion fails with 500 "Something went wrong" and `TypeError: immutable` in its log:
//    @hono/node-server's lightweight Response keeps the upstream fetch Response's immutable
//    Headers when given that Response as init, and the gateway then appends its x-portkey-*
//    headers to them. Known upstream: Portkey-AI/gateway#1389 (fix proposed in #1390, not
//    released). The work-around gives such a Response a mutable copy of the headers — only for
//    streamed bodies (a ReadableStream body with a native Response as init), so the
//    non-streaming path runs untouched. BENCH_PORTKEY_STREAM_FIX=0 turns it off (streamed
//    requests then fail, and the report says so).
//
//   node tests/bench/proxy/portkey-launch.mjs --port=8788 --headless
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args[1] === undefined || typeof args[1] === 'function')) {
    args.splice(1, args[1] === undefined ? 1 : 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};

const NativeResponse = globalThis.Response;
// Runs the gateway's start-up to the end (it installs @hono/node-server's Response globally).
await import(new URL('../../../node_modules/@portkey-ai/gateway/build/start-server.js', import.meta.url).href);

const Installed = globalThis.Response;
if (process.env.BENCH_PORTKEY_STREAM_FIX !== '0' && Installed !== NativeResponse) {
  globalThis.Response = class extends Installed {
    constructor(body, init) {
      if (init instanceof NativeResponse && body instanceof ReadableStream) {
        init = { status: init.status, statusText: init.statusText, headers: new Headers(init.headers) };
      }
      super(body, init);
    }
  };
}
process.on('disconnect', () => process.exit(0));
console.log('portkey-launch: ready');
