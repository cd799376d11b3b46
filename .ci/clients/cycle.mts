// The first half of the half-year cycle, typed against the TypeScript types generated from
// openapi/openapi.json (openapi-typescript) and called through openapi-fetch: sign in, create
// a unit, a finance user and a reporter, create and open a period, create an item with an
// indicator, file form 1 and submit it.
//
// Usage: node cycle.mjs BASE_URL ADMIN_PASSWORD
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];

function usage(): never {
  throw new Error("usage: node cycle.mjs BASE_URL ADMIN_PASSWORD");
}
const base: string = process.argv[2] ?? usage();
const adminPassword: string = process.argv[3] ?? usage();

/** The data of a call that must succeed, or an error with the problem body. */
function must<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.data === undefined) {
    throw new Error(`${r.response.status} ${r.response.url}: ${JSON.stringify(r.error)}`);
  }
  return r.data;
}

async function signIn(username: string, password: string) {
  const anonymous = createClient<paths>({ baseUrl: base });
  const token: Schemas["TokenResponse"] = must(
    await anonymous.POST("/api/v1/auth/token", { body: { username, password } }),
  );
  return createClient<paths>({
    baseUrl: base,
    headers: { Authorization: `Bearer ${token.access_token}` },
  });
}

const admin = await signIn("admin", adminPassword);
const me = must(await admin.GET("/api/v1/me"));
if (me.role !== "admin") throw new Error(`signed in as ${me.role}`);

const unit: Schemas["UnitResponse"] = must(
  await admin.POST("/api/v1/units", {
    body: { code: "TSZZB", name: "组织部", kind: "department" },
    params: { header: { "Idempotency-Key": "ts-create-unit" } },
  }),
);
must(
  await admin.POST("/api/v1/users", {
    body: { username: "ts.finance", password: "finance secret 2026", role: "finance" },
  }),
);
must(
  await admin.POST("/api/v1/users", {
    body: { username: "ts.reporter", password: "reporter secret 2026", role: "reporter", unit_id: unit.id },
  }),
);
const fin = await signIn("ts.finance", "finance secret 2026");
const rep = await signIn("ts.reporter", "reporter secret 2026");

const period = must(
  await fin.POST("/api/v1/periods", {
    body: {
      year: 2026,
      kind: "h1",
      as_of: "2026-06-30",
      submission_deadline: "2026-07-10",
      report_deadline: "2026-07-31",
    },
  }),
);
const opened = must(
  await fin.POST("/api/v1/periods/{id}/open", { params: { path: { id: period.id } } }),
);
if (opened.status !== "open") throw new Error(`period is ${opened.status}`);

const overall: Schemas["CreateOverallItemRequest"] = {
  kind: "overall",
  year: 2026,
  name: "组织部整体支出",
  budget: { fiscal: "100", union: "300" },
  annual_goal: "全年培训1000人次",
};
const item: Schemas["ItemResponse"] = must(await rep.POST("/api/v1/items", { body: overall }));
const indicator = must(
  await rep.POST("/api/v1/items/{id}/indicators", {
    params: { path: { id: item.id } },
    body: {
      level1: "output",
      level2: "quantity",
      name: "培训人次",
      measure_unit: "人次",
      direction: "higher_better",
      target: "1000",
      prorate: true,
    },
  }),
);

const created = await rep.POST("/api/v1/submissions", {
  body: {
    period_id: period.id,
    item_id: item.id,
    executed: { fiscal: "10", union: "30" },
    indicator_values: [{ indicator_id: indicator.id, actual: "200" }],
    outlook: "possible",
    signatures: { unit_head: "李明", supervising_leader: "王强", date: "2026-07-08" },
  },
});
const form: Schemas["SubmissionResponse"] = must(created);
const etag = created.response.headers.get("ETag");
if (etag !== `"${form.version}"`) throw new Error(`ETag ${etag} for version ${form.version}`);

const submitted = must(
  await rep.POST("/api/v1/submissions/{id}/submit", { params: { path: { id: form.id } } }),
);
const reasons = submitted.reasons.map((r: Schemas["ReasonFigure"]) => r.code);
if (submitted.status !== "submitted" || submitted.warning !== "red") {
  throw new Error(`form is ${submitted.status}, ${submitted.warning}`);
}
console.log(`typescript client: form 1 submitted, ${submitted.warning}: ${reasons.join(", ")}`);
