/*
 * Deciding what the server held back: a conflict (the user's values and the
 * server's side by side, chosen field by field, sent with the server's
 * version), a possible duplicate (same person: link; different person:
 * resend with confirm_new) or a refusal (its reason; try again or discard).
 * Nothing leaves the outbox without the user's choice.
 */

import { CONFLICT, DUPLICATE, FAILED, linkToExisting, retry } from "./outbox.js";
import { h } from "./views.js";

function shown(value) {
  return value === null || value === undefined || value === "" ? "—" : String(value);
}

/** A date as YYYY-MM-DD (the candidates' dates arrive as HTTP dates). */
function shownDate(value) {
  if (!value || /^\d{4}(-\d{2}-\d{2})?$/.test(String(value))) {
    return shown(value);
  }
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? String(value) : parsed.toISOString().slice(0, 10);
}

function reason(ctx, error) {
  const fields = Object.entries((error && error.fields) || {}).map(([name, messages]) =>
    h("li", {}, ctx.fieldLabel(name), ": ", [].concat(messages).join(" ")),
  );
  return [h("p", { class: "error" }, (error && error.message) || ctx.t("refused")), fields.length ? h("ul", {}, fields) : null];
}

function conflictBlock(ctx, item) {
  const current = item.current || {};
  const names = Object.keys(item.body).filter((name) => name !== "version");
  const rows = names.map((name) =>
    h(
      "tr",
      { "data-field": name },
      h("th", { scope: "row" }, ctx.fieldLabel(name)),
      h("td", {}, h("label", { class: "check" }, h("input", { type: "radio", name, value: "mine", checked: true }), " ", h("span", {}, shown(item.body[name])))),
      h("td", {}, h("label", { class: "check" }, h("input", { type: "radio", name, value: "server" }), " ", h("span", {}, shown(current[name])))),
    ),
  );
  const submit = (event) => {
    event.preventDefault();
    const form = event.target;
    const body = { version: current.version };
    names.forEach((name) => {
      body[name] = form.elements[name].value === "server" ? current[name] : item.body[name];
    });
    ctx.act(() => retry(ctx.vault, item, body));
  };
  return h(
    "form",
    { class: "conflict", onsubmit: submit },
    h("p", {}, (item.error && item.error.message) || ""),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "table" },
        h("thead", {}, h("tr", {}, h("th", {}, ctx.t("field")), h("th", {}, ctx.t("your_version")), h("th", {}, ctx.t("server_version")))),
        h("tbody", {}, rows),
      ),
    ),
    h("button", { class: "btn btn-primary", type: "submit" }, ctx.t("send_choice")),
  );
}

function duplicateBlock(ctx, item) {
  const found = item.current || {};
  const candidates = (found.candidates || []).map((candidate) =>
    h(
      "li",
      {},
      h("span", { class: "item-name" }, candidate.full_name),
      " ",
      h("span", { class: "muted" }, shownDate(candidate.birth_date || candidate.birth_year)),
      " ",
      h("small", { class: "muted" }, (candidate.reasons || []).join(", ")),
      " ",
      h("button", { class: "btn btn-small", type: "button", onclick: () => ctx.act(() => linkToExisting(ctx.vault, item, candidate.uuid)) }, ctx.t("same_person")),
    ),
  );
  const different = () => ctx.act(() => retry(ctx.vault, item, { ...item.body, confirm_new: true }));
  return h(
    "div",
    { class: "duplicate" },
    h("p", {}, (item.error && item.error.message) || ""),
    h("ul", { class: "item-list" }, candidates),
    found.confirmable === false ? null : h("button", { class: "btn", type: "button", onclick: different }, ctx.t("different_person")),
  );
}

async function discard(ctx, item) {
  await ctx.vault.dequeue(item.id);
  if (item.kind && item.uuid && !item.body.version) {
    await ctx.vault.remove(item.kind, item.uuid);
  }
  if (item.file) {
    await ctx.vault.removeFile(item.file.uuid);
  }
}

function failedBlock(ctx, item) {
  const confirmDiscard = () => {
    if (window.confirm(ctx.t("discard_confirm"))) {
      ctx.act(() => discard(ctx, item));
    }
  };
  return h(
    "div",
    { class: "failed" },
    reason(ctx, item.error),
    h("button", { class: "btn btn-small", type: "button", onclick: () => ctx.act(() => retry(ctx.vault, item)) }, ctx.t("try_again")),
    " ",
    h("button", { class: "btn btn-small btn-danger", type: "button", onclick: confirmDiscard }, ctx.t("discard")),
  );
}

/** What the status page shows under a held write: the decision it needs. */
export function holdBlock(ctx, item) {
  const blocks = { [CONFLICT]: conflictBlock, [DUPLICATE]: duplicateBlock, [FAILED]: failedBlock };
  return blocks[item.state] ? blocks[item.state](ctx, item) : null;
}
