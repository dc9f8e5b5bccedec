// The parts of autocannon's API the harness uses (the package ships no types).
declare module 'autocannon' {
  interface AutocannonRequest {
    setupRequest?: (request: { headers?: Record<string, string> }) => unknown;
  }
  interface AutocannonOptions {
    url: string;
    connections: number;
    duration: number;
    method: string;
    body: string;
    headers: Record<string, string>;
    requests?: AutocannonRequest[];
  }
  interface AutocannonResult {
    requests: { average: number; total: number };
    errors: number;
    non2xx: number;
    timeouts: number;
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
}
