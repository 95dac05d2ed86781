/*
 * Resumable photo uploads (POST /api/v1/uploads, then PATCH chunks at the
 * server's offset; docs/sync.md). A connection that drops mid-file resumes
 * where the server stopped: announcing the same uuid again returns the
 * offset reached. The finished upload is then named by the record's JSON
 * (``upload`` for a case attachment, ``uploads`` for a finding).
 */

import { send } from "./api.js";

const CHUNK_BYTES = 256 * 1024;

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** An answer that is neither done nor to be retried as it is: the caller decides (throttle, hold, stop). */
export class UploadAnswer extends Error {
  constructor(answer) {
    super("upload");
    this.answer = answer;
  }
}

function offsetOf(answer) {
  const error = answer.body && answer.body.error;
  if (answer.status === 200 || answer.status === 201) {
    return answer.body.offset;
  }
  if (answer.status === 409 && error && error.current) {
    return error.current.offset;
  }
  throw new UploadAnswer(answer);
}

/** Sends ``bytes`` as the upload ``uuid``; resolves when the server holds all of it. */
export async function upload(uuid, bytes, contentType) {
  const sha256 = hex(await crypto.subtle.digest("SHA-256", bytes));
  let offset = offsetOf(await send("POST", "/api/v1/uploads", { uuid, size: bytes.byteLength, content_type: contentType, sha256 }));
  let restarted = false;
  while (offset < bytes.byteLength) {
    const chunk = bytes.slice(offset, offset + CHUNK_BYTES);
    const answer = await send("PATCH", "/api/v1/uploads/" + uuid, chunk, { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" });
    if (answer.status === 422 && !restarted && offset + chunk.byteLength === bytes.byteLength) {
      // The file arrived altered: the server starts it over once.
      restarted = true;
      offset = 0;
      continue;
    }
    offset = offsetOf(answer);
  }
}
