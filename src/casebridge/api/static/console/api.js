// GraphQL over HTTP with the in-memory bearer token; mutations as problem-or-success values.

import { accessToken, renew } from './auth.js';

export class ApiError extends Error {
  constructor(message, code, errors = []) {
    super(message);
    this.code = code;
    this.errors = errors;
  }
}

/** The `data` of a query or mutation; throws ApiError on GraphQL or HTTP errors. */
export async function gql(query, variables = {}, { retried = false } = {}) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken() || ''}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('network', 'NETWORK');
  }
  if (response.status === 401 && !retried) {
    await renew(); // expired or revoked: authorize again, then retry once
    return gql(query, variables, { retried: true });
  }
  const body = await response.json().catch(() => null);
  if (!body) throw new ApiError(`HTTP ${response.status}`, `HTTP_${response.status}`);
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code || 'ERROR', body.errors);
  }
  return body.data;
}

/** True when the error says the schema has no such field (a feature this server lacks). */
export function isMissingField(error, field) {
  return error instanceof ApiError && error.errors.some(
    (e) => /Cannot query field/.test(e.message || '') && (!field || (e.message || '').includes(`'${field}'`)),
  );
}

/** A random idempotency key (clientMutationId). */
export function newMutationId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function typeName(name) {
  return name[0].toUpperCase() + name.slice(1);
}

/**
 * Run mutation `name` with `input`. Resolves to the result union's value: either the
 * success (`__typename` ends with "Success", with `selection`) or a problem with `code`,
 * `message` and, for validation and not-found problems, `field`.
 */
export async function mutate(name, input, selection) {
  const type = typeName(name);
  const document = `mutation ${type}($input: ${type}Input!) {
    ${name}(input: $input) {
      __typename
      ... on Problem { code message }
      ... on ValidationProblem { field }
      ... on NotFoundProblem { field }
      ... on ConflictProblem { currentVersion }
      ... on ${type}Success { clientMutationId ${selection || ''} }
    }
  }`;
  const data = await gql(document, { input });
  return data[name];
}

export function isSuccess(result) {
  return Boolean(result && result.__typename && result.__typename.endsWith('Success'));
}
