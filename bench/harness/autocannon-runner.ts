/**
 * Throughput through autocannon's API when wrk is not installed, in its own process so the load
 * generator never shares the harness's event loop. argv[2]: JSON of AutocannonJob. Prints one JSON
 * line: { requestsPerSecond, requests, errors }.
 */
import autocannon from 'autocannon';

interface AutocannonJob {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  leadHeader?: string;
  leadPrefix: string;
}

const job = JSON.parse(process.argv[2] ?? '{}') as AutocannonJob;
let counter = 0;
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.durationSeconds,
  method: 'POST',
  body: job.body,
  headers: job.headers,
  requests: [
    {
      // A fresh lead id per request, as wrk's script sends.
      setupRequest: (request: { headers?: Record<string, string> }) => {
        if (job.leadHeader) {
          counter += 1;
          request.headers = {
            ...request.headers,
            [job.leadHeader]: `${job.leadPrefix}-${counter}`,
          };
        }
        return request;
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    errors: result.errors + result.non2xx + result.timeouts,
  })}\n`,
);
