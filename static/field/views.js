/*
 * The app's screens, drawn from the device's store: the caseload, a case,
 * and the sync status. Texts come from the page (templates/field/app.html).
 */

import { holdBlock } from "./conflicts.js";
import { CONFLICT, DUPLICATE, FAILED } from "./outbox.js";

/** Builds an element: h("p", {class: "muted"}, "text", child…). */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  Object.entries(props || {}).forEach(([name, value]) => {
    if (value === null || value === undefined || value === false) {
      return;
    }
    if (name.startsWith("on")) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? "" : value);
    }
  });
  children.flat(Infinity).forEach((child) => {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  });
  return element;
}

/** A page heading with optional actions. */
export function head(title, ...actions) {
  return h("div", { class: "page-head" }, h("h1", {}, title), actions.length ? h("div", { class: "field-actions" }, actions) : null);
}

function facts(pairs) {
  return h(
    "dl",
    { class: "facts" },
    pairs.filter(([, value]) => value !== null && value !== undefined && value !== "").map(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]),
  );
}

function pendingBadge(ctx, record) {
  return record.local ? h("span", { class: "badge badge-warn" }, ctx.t("not_sent")) : null;
}

function byNewest(a, b) {
  return String(b.created_at || b.delivered_on || "").localeCompare(String(a.created_at || a.delivered_on || ""));
}

/** A volunteer's findings: those on the server and those waiting to be sent. */
async function findings(ctx) {
  const reports = (await ctx.vault.all("findings")).sort((a, b) => String(b.observed_on).localeCompare(String(a.observed_on)));
  const rows = reports.map((report) =>
    h(
      "li",
      { "data-finding": report.uuid },
      h("span", { class: "item-name" }, report.number || ctx.t("new_finding")),
      " ",
      h("span", {}, report.region_name || report.place || ""),
      " ",
      h("span", { class: "muted" }, report.observed_on || ""),
      " ",
      report.local ? pendingBadge(ctx, report) : h("span", { class: "badge badge-muted" }, ctx.labels.report_statuses[report.status] || report.status),
    ),
  );
  return [
    head(ctx.t("my_findings"), h("a", { class: "btn btn-primary", href: "#temuan-baru" }, ctx.t("new_finding"))),
    rows.length ? h("ul", { class: "item-list", id: "finding-list" }, rows) : h("p", { class: "empty-state" }, ctx.t("no_findings")),
  ];
}

/** The home screen: a volunteer's findings, or the caseload (cases, then clients to open a new case for). */
export async function caseload(ctx) {
  if (ctx.role === "volunteer") {
    return findings(ctx);
  }
  const [cases, clients] = await Promise.all([ctx.vault.all("cases"), ctx.vault.all("clients")]);
  cases.sort((a, b) => String(a.number || "~").localeCompare(String(b.number || "~")));
  clients.sort((a, b) => String(a.full_name).localeCompare(String(b.full_name)));
  const caseRows = cases.map((item) =>
    h(
      "li",
      { "data-case": item.uuid },
      h("a", { href: "#kasus/" + item.uuid, class: "item-name" }, item.number || ctx.t("new_case")),
      " ",
      h("span", {}, item.client_name),
      " ",
      h("span", { class: "badge badge-muted" }, ctx.labels.stages[item.stage] || item.stage),
      " ",
      pendingBadge(ctx, item),
    ),
  );
  const clientRows = clients.map((client) =>
    h(
      "li",
      { "data-client": client.uuid },
      h("span", { class: "item-name" }, client.full_name),
      " ",
      h("span", { class: "muted" }, client.birth_date || client.birth_year || ""),
      " ",
      pendingBadge(ctx, client),
      h("span", { class: "item-actions" }, h("a", { class: "btn btn-small", href: "#kasus-baru/" + client.uuid }, ctx.t("open_case"))),
    ),
  );
  return [
    head(ctx.t("caseload"), h("a", { class: "btn btn-primary", href: "#klien-baru" }, ctx.t("new_client"))),
    cases.length ? h("ul", { class: "item-list", id: "case-list" }, caseRows) : h("p", { class: "empty-state" }, ctx.t("no_cases")),
    h("h2", {}, ctx.t("clients")),
    clients.length ? h("ul", { class: "item-list", id: "client-list" }, clientRows) : h("p", { class: "empty-state" }, ctx.t("no_clients")),
  ];
}

function tracingBlock(ctx, caseUuid, request) {
  const leads = (request.leads || []).map((lead) => h("li", {}, lead.followed_on || "", " · ", lead.result || "", " ", pendingBadge(ctx, lead)));
  return h(
    "section",
    { class: "card", "data-tracing": request.uuid },
    h("h3", {}, request.sought_name || ""),
    h("ul", { class: "item-list" }, leads),
    request.status === "open" || !request.status ? ctx.form("tpl-lead", { case_uuid: caseUuid, request_uuid: request.uuid }) : null,
  );
}

/** The case's aftercare visits by due date; the form on the earliest one not yet made. */
function visitBlocks(ctx, caseUuid, visits) {
  const results = (ctx.reference.enums || {}).aftercare_results || {};
  const ordered = [...visits].sort((a, b) => String(a.due_on).localeCompare(String(b.due_on)));
  const next = ordered.find((visit) => !visit.visited_on);
  return ordered.map((visit) =>
    h(
      "section",
      { class: "card", "data-visit": visit.id },
      h("h3", {}, ctx.t("visit_due"), " ", visit.due_on || ""),
      visit.visited_on ? h("p", {}, visit.visited_on, " · ", results[visit.result] || visit.result || "", " ", pendingBadge(ctx, visit)) : null,
      visit === next ? ctx.form("tpl-visit", { case_uuid: caseUuid, visit_id: visit.id }) : null,
    ),
  );
}

/** One case with its services, notes, tracing, aftercare visits and photos, and the forms to add to them. */
export async function caseView(ctx, uuid) {
  const item = await ctx.vault.get("cases", uuid);
  if (!item) {
    return [head(ctx.t("not_found")), h("p", {}, h("a", { href: "#kasus" }, ctx.t("caseload")))];
  }
  const mine = (records) => records.filter((record) => record.case_uuid === uuid).sort(byNewest);
  const kinds = ["deliveries", "notes", "attachments", "tracing_requests", "aftercare_visits"];
  const [deliveries, notes, photos, tracing, visits] = await Promise.all(kinds.map((kind) => ctx.vault.all(kind).then(mine)));
  const services = Object.fromEntries(ctx.reference.services.map((service) => [service.id, service.name || service.slug]));
  return [
    head(item.number || ctx.t("new_case"), item.local ? pendingBadge(ctx, item) : h("a", { class: "btn", href: "#ubah-kasus/" + uuid }, ctx.t("edit_intake"))),
    facts([
      [ctx.t("client"), item.client_name],
      [ctx.t("stage"), ctx.labels.stages[item.stage] || item.stage],
      [ctx.t("intake_date"), item.intake_date],
      [ctx.t("intake_place"), item.intake_place],
      [ctx.t("circumstances"), item.circumstances],
    ]),
    ["intake", "assessment"].includes(item.stage) ? [h("h2", {}, ctx.t("assessment")), ctx.form("tpl-assessment", { case_uuid: uuid })] : null,
    h("h2", {}, ctx.t("services")),
    h(
      "ul",
      { class: "item-list", id: "delivery-list" },
      deliveries.map((delivery) =>
        h("li", {}, services[delivery.service_id] || delivery.service || "", " · ", delivery.delivered_on, " · ", delivery.quantity, " ", pendingBadge(ctx, delivery)),
      ),
    ),
    ctx.form("tpl-delivery", { case_uuid: uuid }),
    h("h2", {}, ctx.t("notes")),
    h("ul", { class: "item-list", id: "note-list" }, notes.map((note) => h("li", { class: "note-body" }, note.body, " ", pendingBadge(ctx, note)))),
    ctx.form("tpl-note", { case_uuid: uuid }),
    tracing.length ? [h("h2", {}, ctx.t("tracing")), tracing.map((request) => tracingBlock(ctx, uuid, request))] : null,
    visits.length ? [h("h2", {}, ctx.t("visits")), visitBlocks(ctx, uuid, visits)] : null,
    h("h2", {}, ctx.t("photos")),
    h("ul", { class: "item-list", id: "photo-list" }, photos.map((photo) => h("li", {}, photo.caption || ctx.t("photo"), " ", pendingBadge(ctx, photo)))),
    ctx.form("tpl-photo", { case_uuid: uuid }),
  ];
}

const STATE_BADGES = { [FAILED]: "badge-danger", [CONFLICT]: "badge-danger", [DUPLICATE]: "badge-warn" };

/** The sync status: last sync, what waits, what failed and why, conflicts and duplicates to decide. */
export async function syncStatus(ctx) {
  const items = await ctx.vault.queued();
  const last = ctx.meta.lastSync ? new Date(ctx.meta.lastSync).toLocaleString(document.documentElement.lang || "id") : ctx.t("never");
  const rows = items.map((item) =>
    h(
      "li",
      { class: "outbox-item", "data-state": item.state },
      h("span", { class: "item-name" }, item.label),
      " ",
      h("span", { class: "badge " + (STATE_BADGES[item.state] || "badge-muted") }, ctx.t("state_" + item.state)),
      holdBlock(ctx, item),
    ),
  );
  return [
    head(ctx.t("sync_title"), h("button", { class: "btn btn-primary", type: "button", "data-sync-now": true }, ctx.t("sync_now"))),
    facts([
      [ctx.t("last_sync"), last],
      [ctx.t("waiting"), String(items.length)],
    ]),
    items.length ? h("ul", { class: "item-list", id: "outbox-list" }, rows) : h("p", { class: "empty-state" }, ctx.t("nothing_waiting")),
  ];
}
