// A real browser against the release binary: headless Debian Chromium driven by playwright-core.
// A page served from a second local origin (configured in BM_CORS_ORIGINS) signs in, reads
// /api/v1/me and a list through fetch, reads an ETag and changes a unit with If-Match; a page
// from an origin that is not configured is refused; /docs/ renders every operation of the
// document with no error box and no request leaving the machine.
//
// Usage: BM_SPEC=openapi/openapi.json node test.mjs API_BASE ALLOWED_PORT OTHER_PORT ADMIN_PASSWORD
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [api, allowedPort, otherPort, adminPassword] = process.argv.slice(2);
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

// The frontend page: plain HTML from its own origin; the test calls its functions.
const page = `<!doctype html><meta charset="utf-8"><title>frontend</title>
<script>
const API = ${JSON.stringify(api)};
async function call(path, init = {}) {
  const r = await fetch(API + path, init);
  return { status: r.status, etag: r.headers.get("ETag"), requestId: r.headers.get("X-Request-Id"),
           body: r.status === 204 ? null : await r.json() };
}
async function session(password) {
  const login = await call("/api/v1/auth/token", { method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password }) });
  const auth = { Authorization: "Bearer " + login.body.access_token };
  const me = await call("/api/v1/me", { headers: auth });
  const created = await call("/api/v1/units", { method: "POST",
    headers: { ...auth, "Content-Type": "application/json", "Idempotency-Key": "browser-unit" },
    body: JSON.stringify({ code: "WEB", name: "网络工作部", kind: "department" }) });
  const list = await call("/api/v1/units?per_page=10", { headers: auth });
  const read = await call("/api/v1/units/" + created.body.id, { headers: auth });
  const renamed = await call("/api/v1/units/" + created.body.id, { method: "PATCH",
    headers: { ...auth, "Content-Type": "application/json", "If-Match": read.etag, "X-Request-Id": "browser-rename" },
    body: JSON.stringify({ name: "网络工作部（新媒体）" }) });
  return { login: login.status, me, created: created.status, list, read, renamed };
}
async function refused() {
  try { await fetch(API + "/api/v1/auth/token", { method: "POST",
          headers: { "Content-Type": "application/json" }, body: "{}" });
        return "answered"; }
  catch (e) { return e.name; }
}
</script>`;

function serve(port) {
  const server = http.createServer((_, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(page);
  });
  return new Promise((resolve) => server.listen(Number(port), "127.0.0.1", () => resolve(server)));
}

const servers = [await serve(allowedPort), await serve(otherPort)];
const profile = mkdtempSync(join(tmpdir(), "bm-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
// Any request to another host is recorded and refused.
const outside = [];
await context.route("**/*", (route) => {
  const host = new URL(route.request().url()).hostname;
  if (host === "127.0.0.1" || host === "localhost") return route.continue();
  outside.push(route.request().url());
  return route.abort();
});

try {
  const front = await context.newPage();
  await front.goto(`http://127.0.0.1:${allowedPort}/`);
  const s = await front.evaluate((pw) => session(pw), adminPassword);
  check(s.login === 200, "a configured origin signs in through fetch");
  check(s.me.status === 200 && s.me.body.username === "admin", "it reads /api/v1/me");
  check(s.created === 201, "it creates a unit with an Idempotency-Key");
  check(s.list.status === 200 && s.list.body.items.some((u) => u.code === "WEB"), "it reads a list");
  check(s.read.etag === `"${s.read.body.version}"`, `it reads the ETag (${s.read.etag})`);
  check(s.renamed.status === 200 && s.renamed.body.version === s.read.body.version + 1,
        "it changes the unit with If-Match");
  check(/^[0-9a-f-]{36}$/.test(s.renamed.requestId ?? ""), "it reads X-Request-Id (the server's own id)");

  const other = await context.newPage();
  await other.goto(`http://127.0.0.1:${otherPort}/`);
  check((await other.evaluate(() => refused())) === "TypeError",
        "an origin that is not configured is refused");

  // /docs/: every operation, no error box.
  const spec = JSON.parse(readFileSync(process.env.BM_SPEC));
  // The paths' operations and the webhooks' (Swagger UI shows both as operation blocks).
  const count = (items) => Object.values(items ?? {}).reduce((n, item) => n + Object.keys(item).length, 0);
  const operations = count(spec.paths) + count(spec.webhooks);
  const docs = await context.newPage();
  const pageErrors = [];
  docs.on("pageerror", (e) => pageErrors.push(String(e)));
  await docs.goto(`${api}/docs/`);
  await docs.waitForSelector(".opblock", { timeout: 30000 });
  const blocks = docs.locator(".opblock");
  check((await blocks.count()) === operations, `/docs/ shows all ${operations} operations`);
  // Open every operation in turn (Swagger UI resolves and renders its schemas then), then
  // close it again so that the page stays light.
  const ids = await docs.evaluate(() =>
    [...document.querySelectorAll(".opblock")].map((e) => e.id));
  let opened = 0;
  for (const id of ids) {
    await docs.evaluate((id) => document.querySelector(`#${id} .opblock-summary-control`).click(), id);
    const ok = await docs.waitForSelector(`#${id}.is-open .opblock-body .responses-wrapper`,
                                          { timeout: 20000 }).then(() => true, () => false);
    if (ok) opened++; else console.log(`     ${id} did not open`);
    await docs.evaluate((id) => document.querySelector(`#${id} .opblock-summary-control`).click(), id);
  }
  check(opened === operations, `every operation opens and renders (${opened})`);
  const resolverErrors = await docs.evaluate(() => JSON.stringify(window.ui.errSelectors.allErrors().toJS()));
  check(resolverErrors === "[]", `Swagger UI reports no error ${resolverErrors === "[]" ? "" : resolverErrors}`);
  const errorBoxes = await docs.locator(".errors-wrapper, .opblock .errors, .model-box .errors").count();
  const errorText = errorBoxes ? await docs.locator(".errors-wrapper").first().innerText().catch(() => "") : "";
  check(errorBoxes === 0, `/docs/ shows no error box ${errorText}`);
  check(pageErrors.length === 0, `/docs/ runs without script errors ${pageErrors.join("; ")}`);
  check(outside.length === 0, `no request leaves the machine ${outside.join(", ")}`);
} finally {
  await context.close();
  servers.forEach((s) => s.close());
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`browser: ${failures.length} failed`);
  process.exit(1);
}
console.log("browser: all checks passed");
