const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
// A wrk-style load generator: one keep-alive TCP connection per click, requests serialised in advance,
// so the client costs a socket write and a header scan per request and the time measured is the server's.
function connect(host, port) {
  return new Promise((res, rej) => {
    const s = net.connect({ host, port, noDelay: true });
    s.once('connect', () => res(s));
    s.once('error', rej);
  });
}
function exchange(sock, bytes) {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const start = performance.now();
    const onData = (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const bodyLen = buf.length - end - 4;
      const done = m ? bodyLen >= Number(m[1]) : /\r\n0\r\n\r\n$/.test(buf.toString('latin1'));
      if (!done) return;
      const ms = performance.now() - start;
      sock.off('data', onData);
      resolve({ status: Number(head.slice(9, 12)), ms });
    };
    sock.on('data', onData);
    sock.once('error', reject);
    sock.write(bytes);
  });
}
(async () => {
  const url = new URL(workerData.url);
  const host = url.hostname;
  const port = Number(url.port);
  const sockets = await Promise.all(workerData.requests.map(() => connect(host, port)));
  const get = (p) => Buffer.from(`GET ${p} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
  for (let i = 0; i < 3; i++) await Promise.all(sockets.map((s) => exchange(s, get('/healthz'))));
  const reqs = workerData.requests.map((r) =>
    r.body
      ? Buffer.from(
          `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n${Object.entries(r.headers)
            .map(([k, v]) => `${k}: ${v}\r\n`)
            .join('')}content-length: ${Buffer.byteLength(r.body)}\r\n\r\n${r.body}`,
        )
      : get(url.pathname),
  );
  const results = await Promise.all(sockets.map((s, i) => exchange(s, reqs[i])));
  for (const s of sockets) s.destroy();
  parentPort.postMessage(results);
})().catch((e) => {
  parentPort.postMessage({ error: String(e) });
});
