// Portkey's `serve()` is called without a hostname (it would listen on every interface); this
// preload makes a numeric-port listen() with no host bind 127.0.0.1 instead.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(port, ...rest) {
  if (typeof port === 'number' && typeof rest[0] !== 'string') {
    return listen.call(this, port, '127.0.0.1', ...rest);
  }
  if (
    typeof port === 'object' &&
    port !== null &&
    port.host === undefined &&
    port.path === undefined
  ) {
    return listen.call(this, { ...port, host: '127.0.0.1' }, ...rest);
  }
  return listen.call(this, port, ...rest);
};
