// Starts the peer gateway, @portkey-ai/gateway, exactly as its own start script does
// (node_modules/@portkey-ai/gateway/build/start-server.js, which takes `--port=N` and
// `--headless`), but bound to 127.0.0.1: its server calls listen(port) without a host, which
// would bind every interface, and the benchmark stays on loopback. Nothing else is changed.
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

// Its start-up clears the terminal; the orchestrator reads stdout, so that is harmless.
await import(new URL('../../../node_modules/@portkey-ai/gateway/build/start-server.js', import.meta.url).href);
