/*
 * The field forms (their markup and texts are <template>s in
 * templates/field/app.html). Each save goes to the outbox with a device UUID
 * and shows at once in the store as a local record marked "not sent".
 */

import { likelyDuplicates } from "./matching.js";
import { queue, WAITING } from "./outbox.js";
import { h } from "./views.js";

function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function values(form) {
  const data = {};
  new FormData(form).forEach((value, name) => {
    if (!(value instanceof File)) {
      data[name] = value.trim() === "" ? null : value.trim();
    }
  });
  return data;
}

async function saveClient(ctx, form) {
  const data = values(form);
  const matches = form.dataset.confirmed ? [] : likelyDuplicates(data, await ctx.vault.all("clients"), ctx.reference.matching);
  if (matches.length) {
    const list = form.querySelector("[data-matches]");
    list.hidden = false;
    list.querySelector("ul").replaceChildren(
      ...matches.map(({ client, score }) =>
        h(
          "li",
          { "data-client": client.uuid },
          h("span", { class: "item-name" }, client.full_name),
          " ",
          client.birth_date || client.birth_year || "",
          " ",
          h("span", { class: "badge" }, ctx.t("match_score").replace("{n}", score)),
          " ",
          h("a", { class: "btn btn-small", href: "#kasus-baru/" + client.uuid }, ctx.t("same_person")),
        ),
      ),
    );
    form.dataset.confirmed = "1";
    return false; // nothing saved: the form stays, with what was typed and the people to choose from
  }
  const uuid = crypto.randomUUID();
  await ctx.vault.put("clients", uuid, { ...data, uuid, local: true });
  await queue(ctx.vault, { op: "create_client", method: "POST", path: "/api/v1/clients", body: { ...data, uuid }, kind: "clients", uuid, refs: [], label: ctx.t("label_client") + ": " + data.full_name });
  ctx.navigate("#kasus-baru/" + uuid);
}

async function saveCase(ctx, form, { client_uuid }) {
  const data = values(form);
  const client = (await ctx.vault.get("clients", client_uuid)) || {};
  const uuid = crypto.randomUUID();
  await ctx.vault.put("cases", uuid, { ...data, uuid, client_uuid, client_name: client.full_name, stage: "intake", local: true });
  await queue(ctx.vault, { op: "create_case", method: "POST", path: "/api/v1/cases", body: { ...data, uuid, client_uuid }, kind: "cases", uuid, refs: [client_uuid], label: ctx.t("label_case") + ": " + (client.full_name || "") });
  ctx.navigate("#kasus/" + uuid);
}

const MAX_EDGE = 1600;
let formCount = 0;

/** A photo as JPEG bytes at most MAX_EDGE wide or high (phones take far larger ones); other files as they are. */
async function shrunk(file) {
  if (!file.type.startsWith("image/") || !window.createImageBitmap) {
    return { bytes: await file.arrayBuffer(), type: file.type };
  }
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  return { bytes: await blob.arrayBuffer(), type: "image/jpeg" };
}

/** Keeps the form's chosen file (sealed) for ``write``, which then sends it as a multipart part. */
async function keepFile(ctx, form, write) {
  const input = form.querySelector("input[type=file]");
  if (!input || !input.files.length) {
    return;
  }
  const photo = await shrunk(input.files[0]);
  // Sent as a resumable upload, then named in the record's JSON: "upload" (attachment) or "uploads" (finding).
  const json = input.name === "photos" ? "uploads" : "upload";
  write.file = { uuid: crypto.randomUUID(), json, type: photo.type };
  await ctx.vault.putFile(write.file.uuid, photo.bytes);
}

function childOfCase(kind, path, label) {
  return async (ctx, form, { case_uuid }) => {
    const data = values(form);
    if (data.service_id) {
      data.service_id = Number(data.service_id);
    }
    if (data.quantity) {
      data.quantity = Number(data.quantity);
    }
    const uuid = crypto.randomUUID();
    const write = { op: "create_" + kind, method: "POST", path: "/api/v1/cases/" + case_uuid + path, body: { ...data, uuid }, kind, uuid, refs: [case_uuid], parent: { field: "case_uuid", uuid: case_uuid }, label: ctx.t(label) };
    await keepFile(ctx, form, write);
    await ctx.vault.put(kind, uuid, { ...data, uuid, case_uuid, local: true });
    await queue(ctx.vault, write);
    ctx.refresh();
  };
}

async function saveFinding(ctx, form) {
  const data = values(form);
  const uuid = crypto.randomUUID();
  const write = { op: "create_finding", method: "POST", path: "/api/v1/findings", body: { ...data, uuid }, kind: "findings", uuid, refs: [], label: ctx.t("label_finding") + ": " + (data.place || "") };
  await keepFile(ctx, form, write);
  await ctx.vault.put("findings", uuid, { ...data, uuid, status: "received", local: true });
  await queue(ctx.vault, write);
  ctx.navigate("#kasus");
}

async function saveLead(ctx, form, { case_uuid, request_uuid }) {
  const data = values(form);
  const uuid = crypto.randomUUID();
  const request = await ctx.vault.get("tracing_requests", request_uuid);
  const path = "/api/v1/cases/" + case_uuid + "/tracing/" + request_uuid + "/leads";
  await ctx.vault.put("tracing_requests", request_uuid, { ...request, leads: [...(request.leads || []), { ...data, uuid, local: true }] });
  await queue(ctx.vault, { op: "create_lead", method: "POST", path, body: { ...data, uuid }, kind: null, uuid, refs: [case_uuid], label: ctx.t("label_lead") + ": " + (request.sought_name || "") });
  ctx.refresh();
}

async function saveVisit(ctx, form, { case_uuid, visit_id }) {
  const data = values(form);
  const visit = await ctx.vault.get("aftercare_visits", visit_id);
  const path = "/api/v1/aftercare/visits/" + visit_id;
  await ctx.vault.put("aftercare_visits", visit_id, { ...visit, ...data, local: true });
  await queue(ctx.vault, { op: "record_visit", method: "POST", path, body: { ...data, version: visit.version }, kind: "aftercare_visits", uuid: "visit-" + visit_id, refs: [case_uuid], parent: { field: "case_uuid", uuid: case_uuid }, label: ctx.t("label_visit") + ": " + (visit.client_name || "") });
  ctx.refresh();
}

/**
 * The assessment of a case at intake or assessment: a case at intake is first moved to assessment. Each step
 * takes the case's version when it is sent (``versionOf``), after the step before it came back.
 */
async function saveAssessment(ctx, form, { case_uuid }) {
  const data = values(form);
  const needs = new FormData(form).getAll("needs").map((id) => ({ service_id: Number(id) }));
  const record = await ctx.vault.get("cases", case_uuid);
  const step = { method: "POST", kind: "cases", uuid: case_uuid, refs: [case_uuid], versionOf: case_uuid };
  if (record.stage === "intake") {
    const path = "/api/v1/cases/" + case_uuid + "/assessment/start";
    await queue(ctx.vault, { ...step, op: "begin_assessment", path, body: { started_on: data.assessed_on }, label: ctx.t("label_assessment_start") + ": " + (record.number || "") });
  }
  const body = { assessed_on: data.assessed_on, condition: data.condition, needs };
  await queue(ctx.vault, { ...step, op: "assess", path: "/api/v1/cases/" + case_uuid + "/assessment", body, label: ctx.t("label_assessment") + ": " + (record.number || "") });
  await ctx.vault.put("cases", case_uuid, { ...record, stage: "planning", condition: data.condition });
  ctx.refresh();
}

async function editCase(ctx, form, { uuid }) {
  const record = await ctx.vault.get("cases", uuid);
  const data = values(form);
  const changed = Object.fromEntries(Object.entries(data).filter(([name, value]) => (record[name] ?? null) !== value));
  if (Object.keys(changed).length) {
    const pending = (await ctx.vault.queued()).find((item) => item.op === "update_case" && item.uuid === uuid && item.state === WAITING);
    if (pending) {
      await ctx.vault.replace({ ...pending, body: { ...pending.body, ...changed } });
    } else {
      await queue(ctx.vault, { op: "update_case", method: "PATCH", path: "/api/v1/cases/" + uuid, body: { ...changed, version: record.version }, kind: "cases", uuid, refs: [], label: ctx.t("label_case_edit") + ": " + (record.number || "") });
    }
    await ctx.vault.put("cases", uuid, { ...record, ...changed });
  }
  ctx.navigate("#kasus/" + uuid);
}

const SAVERS = {
  client: saveClient,
  case: saveCase,
  delivery: childOfCase("deliveries", "/deliveries", "label_delivery"),
  note: childOfCase("notes", "/notes", "label_note"),
  photo: childOfCase("attachments", "/attachments", "label_photo"),
  "case-edit": editCase,
  assessment: saveAssessment,
  finding: saveFinding,
  lead: saveLead,
  visit: saveVisit,
};

/** A form from <template id=``id``>, filled for ``context`` (a case, a client), saving through the outbox. */
export function buildForm(ctx, id, context, record) {
  const form = document.getElementById(id).content.firstElementChild.cloneNode(true);
  // Several forms of one kind may share a screen (a lead per tracing request): ids stay unique.
  formCount += 1;
  form.querySelectorAll("[id]").forEach((element) => {
    element.id += "-" + formCount;
  });
  form.querySelectorAll("label[for]").forEach((label) => {
    label.htmlFor += "-" + formCount;
  });
  form.querySelectorAll("input[type=date]:not([data-no-default])").forEach((input) => {
    input.value = input.value || today();
  });
  const enums = ctx.reference.enums || {};
  const choices = {
    service_id: ctx.reference.services.map((service) => [service.id, service.name || service.slug]),
    needs: ctx.reference.services.map((service) => [service.id, service.name || service.slug]),
    category_id: (ctx.reference.categories || []).map((category) => [category.id, category.name]),
    region_code: (ctx.reference.regions || []).filter((region) => region.level === 4).map((region) => [region.code, region.path || region.name]),
    method: Object.entries(enums.lead_methods || {}),
    result: Object.entries(enums.aftercare_results || {}),
  };
  Object.entries(choices).forEach(([name, options]) => {
    const select = form.querySelector("select[name=" + name + "]");
    if (select) {
      options.forEach(([value, label]) => select.append(h("option", { value }, label)));
    }
  });
  Object.entries(record || {}).forEach(([name, value]) => {
    if (form.elements[name] && value !== null && value !== undefined) {
      form.elements[name].value = value;
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.act(() => SAVERS[form.dataset.form](ctx, form, context || {}));
  });
  return form;
}
