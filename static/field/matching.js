/*
 * Likely duplicates among the clients on the device, found as the server
 * finds them (casework/clients/matching.py), on what the field form asks: the
 * same NIK, or a similar name (spelling variants, a missing or extra word,
 * titles, short forms) with the birth date or year and the sex. The rules
 * (old spellings, dropped words, short forms, thresholds) come from the
 * server with the reference data (``reference.matching``); the ratios are
 * fuzzball's token-set and token-sort ratios, as rapidfuzz's on the server.
 * The server checks again when the registration is sent.
 */

import { token_set_ratio, token_sort_ratio } from "../vendor/fuzzball/fuzzball_lite.esm.min.js";

const WORD = /[a-z]+/g;
const DOUBLED = /([a-z])\1+/g;

function normalWord(word, rules) {
  let spelled = word;
  for (const [old, now] of rules.old_spellings) {
    spelled = spelled.split(old).join(now);
  }
  spelled = spelled.replace(DOUBLED, "$1");
  if (spelled.length > 2 && spelled.endsWith("y")) {
    spelled = spelled.slice(0, -1) + "i";
  }
  return rules.short_forms[spelled] || spelled;
}

/** The name as matching compares it: "H. Moch. Rizky bin Achmad, S.Sos" → "muhamad rizki ahmad". */
export function normaliseName(text, rules) {
  const dropped = new Set(rules.dropped);
  const folded = String(text || "")
    .split(",")[0]
    .normalize("NFKD")
    .replace(/[^\x00-\x7f]/g, "")
    .toLowerCase();
  return (folded.match(WORD) || [])
    .filter((word) => !dropped.has(word))
    .map((word) => normalWord(word, rules))
    .join(" ");
}

function allNames(person) {
  return [person.full_name, ...String(person.aliases || "").split(",")].filter((name) => name && name.trim());
}

function nameScore(person, client, rules) {
  let best = 0;
  for (const ours of allNames(person).map((name) => normaliseName(name, rules))) {
    for (const theirs of allNames(client).map((name) => normaliseName(name, rules))) {
      best = Math.max(best, Math.round(0.8 * token_set_ratio(ours, theirs) + 0.2 * token_sort_ratio(ours, theirs)));
    }
  }
  return best;
}

function yearOf(person) {
  return person.birth_year || (person.birth_date ? Number(String(person.birth_date).slice(0, 4)) : null);
}

function birthPoints(person, client, rules) {
  if (person.birth_date && client.birth_date) {
    return person.birth_date === client.birth_date ? 20 : -20;
  }
  const ours = yearOf(person);
  const theirs = yearOf(client);
  if (!ours || !theirs) {
    return 0;
  }
  const gap = Math.abs(ours - theirs);
  if (gap === 0) {
    return 12;
  }
  const estimated = person.birth_year_estimated || client.birth_year_estimated;
  return estimated && gap <= rules.estimate_tolerance ? 8 : -20;
}

function sexPoints(person, client) {
  if (!person.sex || !client.sex) {
    return 0;
  }
  return person.sex === client.sex ? 5 : -25;
}

/** How likely ``client`` is ``person`` (0–100), or null when the names are too far apart. */
export function score(person, client, rules) {
  if (person.nik && client.nik && person.nik === client.nik) {
    return 100;
  }
  const similarity = nameScore(person, client, rules);
  if (similarity < rules.min_name_score) {
    return null;
  }
  const total = Math.round(0.6 * similarity) + birthPoints(person, client, rules) + sexPoints(person, client);
  return Math.max(0, Math.min(100, total));
}

/** The clients that may be ``person``, best first: [{client, score}] scoring at least the likely score. */
export function likelyDuplicates(person, clients, rules) {
  if (!rules) {
    return [];
  }
  return clients
    .map((client) => ({ client, score: score(person, client, rules) }))
    .filter((match) => match.score !== null && match.score >= rules.likely_score)
    .sort((a, b) => b.score - a.score || String(a.client.full_name).localeCompare(String(b.client.full_name)));
}
