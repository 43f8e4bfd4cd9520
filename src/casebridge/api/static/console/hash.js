// SHA-256 of a chosen file, computed in this browser with WebCrypto: the file's bytes are
// read locally and never sent anywhere; only the hex digest goes into the form.

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** The lowercase hex SHA-256 of a File or Blob. */
export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
