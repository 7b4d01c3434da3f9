/**
 * Shows a stack operation's progress like CloudFormation's console: on a terminal, a table
 * (logical id, domain, package, status, elapsed) redrawn in place; otherwise one plain line
 * per event, so logs and CI output stay readable. Packages and lookups show '-' as domain and
 * their name as package. Stacks that run at the same time get one section each.
 */
import type { ProgressEvent } from './resource-operations';
import { isStackEvent } from './resource-operations';

/** Where output goes: process.stdout, or a capture in tests. */
export interface Output {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): void;
}

export interface PlannedRow {
  readonly logicalId: string;
  /** An association's domain; '' for a package or lookup. */
  readonly domain: string;
  /** An association's package id; '' when not known before the deploy (read from a package of the app), or for a package. */
  readonly packageId: string;
  /** A package's or lookup's name. */
  readonly packageName?: string;
}

/** One stack's part of an operation. */
export interface PlannedStack {
  readonly stackName: string;
  readonly planned: readonly PlannedRow[];
}

interface Row {
  readonly logicalId: string;
  readonly domain: string;
  packageId: string;
  readonly packageName?: string;
  /** The package version reported last, and the one before when it changed during this operation. */
  version?: string;
  previousVersion?: string;
  status: string;
  /** The last failure's reason. */
  reason?: string;
  /** Elapsed ms of the stack operation at which the resource's current operation started / ended. */
  startedMs?: number;
  endedMs?: number;
}

/** A stack's rows and status. Its events count elapsed time from its own start, offsetMs after the table's. */
interface Section {
  readonly stackName: string;
  status: string;
  reason?: string;
  readonly rows: Row[];
  offsetMs: number;
  /** Table time at which the stack's operation ended: its clock stops while other stacks go on. */
  endedMs?: number;
}

const HEADERS = ['LOGICAL ID', 'DOMAIN', 'PACKAGE', 'STATUS', 'ELAPSED'];
const REDRAW_MS = 100;
const COLORS: ReadonlyArray<[RegExp, string]> = [
  [/FAILED/, '\x1b[31m'],
  [/ROLLBACK|IN_PROGRESS/, '\x1b[33m'],
  [/COMPLETE/, '\x1b[32m'],
];

export class ProgressTable {
  private sections: Section[] = [];
  private drawnLines = 0;
  private startedAt = Date.now();
  private ticker?: NodeJS.Timeout;

  constructor(private readonly out: Output) {}

  private get live(): boolean {
    return this.out.isTTY === true;
  }

  /** Starts a stack operation; planned rows show as pending until their first event. */
  begin(stackName: string, title: string, planned: readonly PlannedRow[]): void {
    this.beginStacks(title, [{ stackName, planned }]);
  }

  /**
   * Starts an operation of several stacks, which may run at the same time: one section per stack,
   * fed by the listener stackStarted() returns.
   */
  beginStacks(title: string, stacks: readonly PlannedStack[]): void {
    this.sections = stacks.map((stack) => ({ stackName: stack.stackName, status: '', rows: stack.planned.map((row) => ({ ...row, status: '' })), offsetMs: 0 }));
    this.startedAt = Date.now();
    this.drawnLines = 0;
    this.out.write(`\n${title}\n`);
    if (this.live) {
      this.draw();
      this.ticker = setInterval(() => this.draw(), REDRAW_MS);
      this.ticker.unref();
    }
  }

  /** The events of the operation's first (usually only) stack. */
  readonly onProgress = (event: ProgressEvent): void => {
    this.record(this.sections[0], event);
  };

  /** A stack's operation starts now: the listener of its events. */
  stackStarted(stackName: string): (event: ProgressEvent) => void {
    const section = this.sections.find((candidate) => candidate.stackName === stackName);
    if (!section) {
      throw new Error(`${stackName} is not a stack of this operation`);
    }
    section.offsetMs = Date.now() - this.startedAt;
    return (event) => this.record(section, event);
  }

  /** Final state of the table; stops redrawing. */
  end(): void {
    if (this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      this.draw();
    }
  }

  private record(section: Section, event: ProgressEvent): void {
    const row = isStackEvent(event, section.stackName) ? undefined : this.update(section, event);
    if (!row) {
      section.status = event.status;
      section.reason = event.reason ?? section.reason; // why it rolled back stays on screen
      section.endedMs = event.status.endsWith('_IN_PROGRESS') ? undefined : section.offsetMs + event.elapsedMs;
    }
    if (this.live) {
      this.draw();
    } else {
      const stackColumn = this.sections.length > 1 && row ? section.stackName : undefined;
      this.out.write(plainLine({ ...event, elapsedMs: section.offsetMs + event.elapsedMs }, row, stackColumn));
    }
  }

  private update(section: Section, event: ProgressEvent): Row {
    const row = rowOf(section.rows, event);
    row.status = event.status;
    row.reason = event.reason ?? row.reason; // a failure stays listed through the rollback
    if (event.version !== undefined && event.version !== row.version) {
      row.previousVersion = row.version;
      row.version = event.version;
    }
    if (event.status.endsWith('_IN_PROGRESS')) {
      row.startedMs = event.elapsedMs;
      row.endedMs = undefined;
    } else {
      row.endedMs = event.elapsedMs;
    }
    return row;
  }

  private draw(): void {
    const now = Date.now() - this.startedAt;
    const cells = this.sections.map((section) => section.rows.map((row) => [
      row.logicalId, row.domain || '-', packageText(row), row.status || 'PENDING', elapsedOf(row, now - section.offsetMs),
    ]));
    const widths = HEADERS.map((header, i) => Math.max(header.length, ...cells.flat().map((cell) => cell[i].length)));
    const lines = this.sections.flatMap((section, s) => [
      `${section.stackName}  ${colored(section.status || 'PENDING')}  ${section.status ? seconds((section.endedMs ?? now) - section.offsetMs) : ''}`.trimEnd(),
      `  ${HEADERS.map((header, i) => header.padEnd(widths[i])).join('  ')}`,
      ...cells[s].map((cell) => `  ${cell.map((text, i) => (i === 3 ? colored(text, widths[i]) : text.padEnd(widths[i]))).join('  ')}`),
      ...reasons(section),
    ]).map((line) => truncate(line, this.out.columns));
    // Cursor up to the table's first line, clear down, draw again.
    const rewind = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F\x1b[0J` : '';
    this.out.write(`${rewind}${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }
}

function reasons(section: Section): string[] {
  const failed = section.rows.filter((row) => row.reason).map((row) => `  ${row.logicalId}: ${row.reason}`);
  return section.reason ? [`  ${section.reason}`, ...failed] : failed;
}

/**
 * The event's row: one per resource and (domain, package), so that when an update replaces the
 * package, the old pair's cleanup Delete shows as its own row instead of overwriting the new
 * pair's status. A planned row whose package id was not known yet takes the first one reported.
 */
function rowOf(rows: Row[], event: ProgressEvent): Row {
  const same = (row: Row) => row.logicalId === event.logicalId && row.domain === event.domain;
  const found = rows.find((row) => same(row) && packageLabel(row) === packageLabel(event))
    ?? rows.find((row) => same(row) && packageLabel(row) === '' && row.status === '');
  if (found) {
    found.packageId = found.packageId || event.packageId;
    return found;
  }
  const row: Row = { logicalId: event.logicalId, domain: event.domain, packageId: event.packageId, packageName: event.packageName, status: '' };
  rows.push(row);
  return row;
}

/** The package column: its label and version, `v1 → v2` once it moved during the operation. */
function packageText(row: Row): string {
  const version = row.previousVersion ? `${row.previousVersion} → ${row.version}` : row.version;
  return [packageLabel(row) || '-', version].filter(Boolean).join(' ');
}

/** An association's package id, or a package's (or lookup's) name. */
function packageLabel(row: { readonly packageId: string; readonly packageName?: string }): string {
  return row.packageId || row.packageName || '';
}

/** `stackColumn`: the stack's name, in front of a resource's line when several stacks run at once. */
function plainLine(event: ProgressEvent, row: Row | undefined, stackColumn?: string): string {
  // The row's times count from the stack's own start, like the event's before the table's offset: compare the row's end and start.
  const took = row && !event.status.endsWith('_IN_PROGRESS') && row.startedMs !== undefined && row.endedMs !== undefined ? ` (${seconds(row.endedMs - row.startedMs)})` : '';
  const resource = row ? `${event.logicalId}  ${event.domain || '-'}  ${packageText(row)}` : event.logicalId;
  const what = stackColumn ? `${stackColumn}  ${resource}` : resource;
  const reason = event.reason ? `  ${event.reason}` : '';
  return `${seconds(event.elapsedMs).padStart(7)}  ${event.status.padEnd(28)}  ${what}${took}${reason}\n`;
}

function elapsedOf(row: Row, now: number): string {
  return row.startedMs === undefined ? '' : seconds((row.endedMs ?? now) - row.startedMs);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function colored(status: string, width = status.length): string {
  const color = COLORS.find(([pattern]) => pattern.test(status))?.[1];
  const padded = status.padEnd(width);
  return color ? `${color}${padded}\x1b[0m` : padded;
}

/** Long lines would wrap and break the in-place redraw. ANSI codes do not take up columns. */
function truncate(line: string, columns: number | undefined): string {
  if (!columns) {
    return line;
  }
  const visible = line.replace(/\x1b\[[0-9;]*m/g, '');
  return visible.length < columns ? line : `${visible.slice(0, columns - 2)}…`;
}
