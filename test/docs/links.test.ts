/**
 * Every relative link of README.md and docs/*.md leads to a file of the repository, and every anchor to a heading
 * of its page: the README is a landing page whose details live in docs/, so a moved section must not leave a dead
 * link behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, anchors, docFiles, prose } from './markdown-docs';

/** Each relative link of a page: its target file (relative to the root) and anchor, with its line. */
function relativeLinks(file: { name: string; text: string }) {
  const text = prose(file);
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => ({ target: match[1], line: text.slice(0, match.index).split('\n').length }))
    .filter(({ target }) => !/^[a-z]+:/i.test(target))
    .map(({ target, line }) => {
      const [file2, anchor] = target.split('#');
      const resolved = file2 ? path.posix.normalize(path.posix.join(path.posix.dirname(file.name), file2)) : file.name;
      return { where: `${file.name}:${line}`, target, resolved, anchor };
    });
}

test('every relative link of the README and docs/ leads to an existing file and heading', () => {
  const files = docFiles();
  const pageAnchors = new Map(files.map((file) => [file.name, anchors(file)]));
  const apiMd = path.join(ROOT, 'API.md');
  if (fs.existsSync(apiMd)) pageAnchors.set('API.md', anchors({ name: 'API.md', text: fs.readFileSync(apiMd, 'utf8') }));
  const broken: string[] = [];
  let checked = 0;
  for (const file of files) {
    for (const link of relativeLinks(file)) {
      checked++;
      if (!fs.existsSync(path.join(ROOT, link.resolved))) {broken.push(`${link.where}: ${link.target}: no such file`);} else if (link.anchor !== undefined && !pageAnchors.get(link.resolved)?.has(link.anchor)) {
        broken.push(`${link.where}: ${link.target}: no heading with that anchor in ${link.resolved}`);
      }
    }
  }
  expect(broken).toEqual([]);
  expect(checked).toBeGreaterThan(50);
});

test('every page under docs/ is linked from the README', () => {
  const readme = docFiles()[0];
  const linked = new Set(relativeLinks(readme).map((link) => link.resolved));
  const pages = docFiles().slice(1).map((file) => file.name);
  expect(pages.filter((page) => !linked.has(page))).toEqual([]);
});

test('anchors are GitHub\'s: punctuation dropped, spaces hyphenated, repeated headings numbered', () => {
  const text = '# A\n## One blue/green per deploy: `DomainPackages`\n## Notes\n```sh\n# not a heading\n```\n## Notes\n';
  expect([...anchors({ name: 'x.md', text })]).toEqual(['a', 'one-bluegreen-per-deploy-domainpackages', 'notes', 'notes-1']);
});
