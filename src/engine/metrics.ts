// Prometheus metrics (alpenhorn/common/metrics.py at 632dd41): a tiny registry of labelled gauges and counters with the
// `alpenhorn_` prefix and a `daemon` label on every series, rendered in the text exposition
// format, and served on GET /metrics like prometheus_client's start_http_server.

type Labels = Record<string, string>;

interface Family {
  readonly type: "gauge" | "counter";
  readonly help: string;
  readonly series: Map<string, { labels: Labels; value: number }>;
}

const escape = (v: string) => v.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');
/**
 * A series' identity: its labels (besides the daemon label, common to all) in name order. The
 * daemon sets gauges on every queue operation, so this is built without JSON or copies.
 */
function keyOf(labels: Labels): string {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let k = "";
  for (const n of names) k += `${n}\u0000${labels[n]}\u0001`;
  return k;
}

export class Metrics {
  private readonly families = new Map<string, Family>();
  constructor(private readonly daemon: string) {}

  private family(name: string, type: Family["type"], help = ""): Family {
    let f = this.families.get(name);
    if (!f) {
      f = { type, help, series: new Map() };
      this.families.set(name, f);
    }
    return f;
  }

  private entry(name: string, type: Family["type"], labels: Labels) {
    const f = this.family(name, type);
    const k = keyOf(labels);
    let s = f.series.get(k);
    if (!s) {
      s = { labels: { daemon: this.daemon, ...labels }, value: 0 };
      f.series.set(k, s);
    }
    return s;
  }

  /** A gauge series to set often without looking it up each time (it must never be removed). */
  gauge(name: string, labels: Labels = {}): { value: number } {
    return this.entry(name, "gauge", labels);
  }

  set(name: string, value: number, labels: Labels = {}): void {
    this.entry(name, "gauge", labels).value = value;
  }
  add(name: string, delta: number, labels: Labels = {}): void {
    this.entry(name, "gauge", labels).value += delta;
  }
  inc(name: string, labels: Labels = {}, by = 1): void {
    this.entry(name, "counter", labels).value += by;
  }
  remove(name: string, labels: Labels = {}): void {
    this.families.get(name)?.series.delete(keyOf(labels));
  }
  value(name: string, labels: Labels = {}): number | undefined {
    return this.families.get(name)?.series.get(keyOf(labels))?.value;
  }

  /** The text exposition format (version 0.0.4). */
  render(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) {
      const full = `alpenhorn_${name}${f.type === "counter" ? "_total" : ""}`;
      out.push(`# HELP ${full} ${f.help || name.replaceAll("_", " ")}`);
      out.push(`# TYPE ${full} ${f.type}`);
      for (const s of f.series.values()) {
        const labels = Object.entries(s.labels)
          .map(([k, v]) => `${k}="${escape(v)}"`)
          .join(",");
        out.push(`${full}{${labels}} ${Number.isInteger(s.value) ? s.value.toFixed(1) : String(s.value)}`);
      }
    }
    return out.join("\n") + "\n";
  }
}

/** Serve the registry on all interfaces, as prometheus_client does. Returns a stop function. */
export function serveMetrics(metrics: Metrics, port: number): () => void {
  const server = Bun.serve({
    port,
    hostname: "0.0.0.0",
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path !== "/metrics" && path !== "/") return new Response("Not Found\n", { status: 404 });
      return new Response(metrics.render(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
    },
  });
  return () => void server.stop(true);
}
