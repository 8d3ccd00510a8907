// Small helpers shared by the Node client checks: argument parsing and a
// check runner that prints one line per check and sets the exit code.
import { readFileSync } from 'node:fs';

export function parseArgs(usage) {
  const [url, token] = process.argv.slice(2);
  if (!url || !token) {
    console.error(`usage: node ${usage} URL TOKEN`);
    console.error('  URL    the GraphQL endpoint, e.g. http://127.0.0.1:18555/graphql');
    console.error('  TOKEN  an admin bearer token (from the login mutation)');
    process.exit(2);
  }
  return { url, token };
}

/** Thrown by a check to fail with a plain message. */
export class CheckFailure extends Error {}

export function expect(condition, message) {
  if (!condition) throw new CheckFailure(message);
}

/** Short, single-line rendering of any value for messages. */
export function show(value, max = 400) {
  let text;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  return text.length > max ? text.slice(0, max) + '…' : text;
}

/**
 * Runs named checks one after another. Each prints `ok   name` or
 * `FAIL name: reason`. A later check can depend on an earlier one's value;
 * when that earlier one failed, the later one is reported as failed too.
 */
export class Checks {
  constructor(title) {
    this.title = title;
    this.passed = 0;
    this.failed = 0;
    console.log(`# ${title}`);
  }

  async run(name, fn) {
    try {
      const result = await fn();
      this.passed += 1;
      console.log(`ok   ${name}${result?.note ? ` (${result.note})` : ''}`);
      return result;
    } catch (err) {
      this.failed += 1;
      const reason = err instanceof CheckFailure ? err.message : describeError(err);
      console.log(`FAIL ${name}: ${reason}`);
      return undefined;
    }
  }

  finish() {
    console.log(`${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed === 0 ? 0 : 1;
  }
}

export function describeError(err) {
  if (!err) return String(err);
  const name = err.constructor?.name ?? 'Error';
  return `unexpected ${name}: ${show(err.message ?? err)}`;
}

/**
 * A two-task plan written for these checks, sent to `importPlan` with
 * `dryRun: true` (which writes nothing): a mutation that is harmless to run
 * against any server. Its document number is not the reference plan's.
 */
export const DRY_RUN_PLAN = readFileSync(new URL('./dry-run-plan.txt', import.meta.url), 'utf8');
export const DRY_RUN_DOC_NUMBER = '县政办发〔2026〕901号';

/** Checks the shape of one node of `tasks { nodes { id seq title lead { name } } }`. */
export function expectTaskNode(node, where) {
  expect(node && typeof node === 'object', `${where}: not an object: ${show(node)}`);
  expect(typeof node.id === 'string' && node.id.length > 0, `${where}: id is not a non-empty string: ${show(node)}`);
  expect(Number.isInteger(node.seq), `${where}: seq is not an integer: ${show(node)}`);
  expect(typeof node.title === 'string' && node.title.length > 0, `${where}: title is not a non-empty string: ${show(node)}`);
  expect(
    node.lead === null || (typeof node.lead === 'object' && typeof node.lead.name === 'string'),
    `${where}: lead is neither null nor { name: String }: ${show(node)}`,
  );
}
