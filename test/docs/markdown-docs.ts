/**
 * The project's documentation as the tests read it: README.md and docs/*.md, their fenced code blocks (with the
 * line each starts on, for messages) and the anchors GitHub gives their headings.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

export interface DocFile {
  /** Path relative to the repository root, with '/' separators. */
  readonly name: string;
  readonly text: string;
}

export interface CodeBlock {
  readonly file: string;
  /** 1-based line of the block's first code line. */
  readonly line: number;
  readonly language: string;
  readonly code: string;
}

/** README.md and every Markdown page under docs/. */
export function docFiles(): DocFile[] {
  const pages = fs.readdirSync(path.join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).sort();
  return ['README.md', ...pages.map((page) => `docs/${page}`)]
    .map((name) => ({ name, text: fs.readFileSync(path.join(ROOT, name), 'utf8') }));
}

/** The fenced code blocks of a Markdown text (``` fences at the start of a line). */
export function codeBlocks(file: DocFile): CodeBlock[] {
  const lines = file.text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    if (end < 0) throw new Error(`${file.name}:${i + 1}: a code block that never closes`);
    blocks.push({ file: file.name, line: i + 2, language: open[1], code: lines.slice(i + 1, end).join('\n') + '\n' });
    i = end;
  }
  return blocks;
}

/** The text outside code blocks, where headings and links are read (same line count). */
export function prose(file: DocFile): string {
  let inside = false;
  return file.text.split('\n').map((line) => {
    if (/^```/.test(line)) {
      inside = !inside;
      return '';
    }
    return inside ? '' : line;
  }).join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen, repeats numbered. */
export function anchors(file: DocFile): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of prose(file).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = match[1].trim().toLowerCase().replace(/<[^>]*>/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count ? `${slug}-${count}` : slug);
  }
  for (const match of file.text.matchAll(/<a name="[^"]*" id="([^"]+)"><\/a>/g)) result.add(match[1]);
  return result;
}
