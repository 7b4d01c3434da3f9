#!/usr/bin/env bash
# Proves the peer range in a temporary folder (never the lock file):
#   min  the construct and example tests, a jsii compile, a type-check and a synth of the example app against
#        the lowest aws-cdk-lib and constructs that package.json's peerDependencies allow, with the cdk-nag those
#        apps use: cdk-nag 2.x (the newest 2.x) below aws-cdk-lib 2.271.0, where the library's acknowledgements
#        reach cdk-nag only as `cdk_nag` resource metadata (cdk-nag 3 needs 2.257.0 and, for them, 2.271.0);
#   app  the packed tarball installed into a fresh `cdk init app --language typescript` on the newest and on the
#        lowest aws-cdk-lib, with the README's usage example as its stack (scripts/readme-example.ts), synthesized
#        with cdk-nag's AwsSolutions pack (the cdk-nag an app on that version uses, as for `min`) and no
#        suppression of the app's own: any finding fails the synthesis, so the step; and a bad prop must throw
#        an aws-cdk-lib ValidationError naming the construct (`Errors.isValidationError`) on both versions.
# Usage: scripts/check-cdk-range.sh [min|app|all]   (default all; each step prints its duration)
# Takes about 6 minutes on 2 cores (npm's cache warm); needs the npm registry only.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WHAT="${1:-all}"
export CDK_DISABLE_CLI_TELEMETRY=true JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1
NPM_QUIET=(--no-audit --no-fund --prefer-offline --loglevel=error)

peer_floor() { node -p "require('$ROOT/package.json').peerDependencies['$1'].replace(/^\\^/, '')"; }
MIN_CDK="${CDK_RANGE_MIN:-$(peer_floor aws-cdk-lib)}"   # CDK_RANGE_MIN=2.270.0: try another floor
MIN_CONSTRUCTS="$(peer_floor constructs)"
newest_nag2() { # the newest cdk-nag 2.x release (npm lists versions unordered by range: sort them here)
  npm view cdk-nag versions --json | node -e "
    const p = (v) => v.split('.').map(Number);
    const v2 = JSON.parse(require('fs').readFileSync(0, 'utf8')).filter((v) => /^2\.\d+\.\d+$/.test(v));
    console.log(v2.sort((a, b) => p(a)[1] - p(b)[1] || p(a)[2] - p(b)[2]).pop());"
}
# aws-cdk-lib does not bundle @aws-cdk/cloud-assembly-schema: npm leaves it out when it moves aws-cdk-lib
# to another version over an existing tree, so it is named explicitly at the range that version asks for.
MIN_SCHEMA="$(npm view "aws-cdk-lib@$MIN_CDK" 'dependencies.@aws-cdk/cloud-assembly-schema')"
NEWEST_CDK="$(npm view aws-cdk-lib@latest version)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cdk-range.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

step() { # step <title> <command...>: runs it and prints how long it took
  local title="$1" start=$SECONDS
  shift
  echo "--- $title"
  "$@"
  echo "--- $title: $((SECONDS - start)) s"
}

copy_tree() { # the files git tracks or would track, as they are in the work tree
  mkdir -p "$WORK/src"
  (cd "$ROOT" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -C "$WORK/src" -xf -
}

# The tarball as the project ships it, built from the lock file's versions.
build_and_pack() {
  cd "$WORK/src"
  npm ci "${NPM_QUIET[@]}"
  npm run build --silent
  npm pack --ignore-scripts --pack-destination "$WORK" --silent >/dev/null
  TARBALL="$(ls "$WORK"/cdk-opensearch-packages-*.tgz)"
  echo "tarball: $(basename "$TARBALL"), $(stat -c %s "$TARBALL") bytes"
}

# The cdk-nag major an app on aws-cdk-lib $1 uses with this library: 3 where that release scopes
# Validations.acknowledge (lib/provider-acknowledgements.ts decides, built by build_and_pack), else 2.
nag_major() {
  if [[ "$(cd "$WORK/src" && node -p "require('./lib/provider-acknowledgements').supportsScopedAcknowledge('$1')")" == true ]]; then
    echo 3
  else
    echo 2
  fi
}

use_min_versions() {
  cd "$WORK/src"
  # --legacy-peer-deps: cdk-nag (a dev dependency only) asks constructs ^10.5.1; the floor is tested anyway.
  # The lock file's cdk-nag 3 where the floor scopes Validations.acknowledge, else the newest cdk-nag 2.x
  # (CDK_RANGE_NAG=2.37.55: try another).
  local nag=()
  if [[ "$(nag_major "$MIN_CDK")" != 3 ]]; then
    nag=("cdk-nag@${CDK_RANGE_NAG:-$(newest_nag2)}")
  fi
  npm install --no-save --legacy-peer-deps "${NPM_QUIET[@]}" "aws-cdk-lib@$MIN_CDK" "constructs@$MIN_CONSTRUCTS" "@aws-cdk/cloud-assembly-schema@$MIN_SCHEMA" "${nag[@]}"
  node -e "for (const p of ['aws-cdk-lib', 'constructs', 'cdk-nag']) console.log(p, require(p + '/package.json').version)"
  npm pkg set "peerDependencies.aws-cdk-lib=^$MIN_CDK"   # a no-op unless CDK_RANGE_MIN tries a lower floor (jsii checks it)
}

min_tests() {
  cd "$WORK/src"
  npx jsii --generate-tsconfig tsconfig.jsii.json --silence-warnings metadata/missing-dev-dependency
  # The type-check covers what runs on the floor: the library, the example app and their tests (test/local's
  # multi-stack test uses CrossStackReferences, which 2.220.0 does not have; it runs on the newest only).
  node -e "require('fs').writeFileSync('tsconfig.floor.json', JSON.stringify({ extends: './tsconfig.json', include: ['lib', 'bin', 'test/construct', 'test/example'] }))"
  npx tsc --noEmit -p tsconfig.floor.json
  # The snapshot is the newest's template (the floor renders the framework functions' logging differently and
  # keeps its unused LatestNodeRuntimeMap).
  npx jest test/construct test/example -t '^(?!example stack template snapshot)'
  npx cdk synth --no-notices -q -o "$WORK/example.out"
  count_resources "$WORK/example.out/OpenSearchPackagesExample.template.json"
}

count_resources() { # prints the resource types of a template and fails without an association
  node -e "
    const t = require('$1'); const count = {};
    for (const r of Object.values(t.Resources)) count[r.Type] = (count[r.Type] ?? 0) + 1;
    console.log(JSON.stringify(count));
    if (!count['Custom::OpenSearchPackageAssociation']) process.exit(1);"
}

# The app's entry point with cdk-nag's AwsSolutions pack on every stack, as cdk-nag's README registers it:
# cdk-nag 3 as a validation plugin (a finding fails `cdk synth`), cdk-nag 2 as an aspect (a finding is an error
# annotation, which fails `cdk synth`). Nothing is suppressed: the library's own acknowledgements must suffice.
nag_app_entry() { # nag_app_entry <cdk-nag major>
  local register="Validations.of(app).addPlugins(new AwsSolutionsChecks(app));" imports="App, Validations" nag=AwsSolutionsChecks
  if [[ "$1" == 2 ]]; then
    register="Aspects.of(app).add(new AwsSolutionsChecks({ reportFormats: [NagReportFormat.JSON] }));"
    imports="App, Aspects" nag="AwsSolutionsChecks, NagReportFormat"
  fi
  cat <<EOF
#!/usr/bin/env node
// Written by scripts/check-cdk-range.sh: the README example's stack, checked with cdk-nag AwsSolutions.
import { $imports } from 'aws-cdk-lib';
import { $nag } from 'cdk-nag';
import { ReadmeAppStack } from '../lib/readme-app-stack';

const app = new App();
$register
new ReadmeAppStack(app, 'ReadmeAppStack');
EOF
}

# Fails unless cdk-nag ran on the app (it may fail to load quietly): its report, clean, in the cloud assembly.
nag_ran() { # nag_ran <cdk.out> <cdk-nag major>
  if [[ "$2" == 3 ]]; then
    node -e "
      const report = require('$1/validation-report.json').pluginReports.find((p) => p.pluginName === 'AwsSolutions');
      if (!report || report.violations.length > 0) { console.error('cdk-nag AwsSolutions: no clean report'); process.exit(1); }
      console.log('cdk-nag AwsSolutions (validation plugin): no finding,', (report.suppressedViolations ?? []).length, 'acknowledged by the library');"
  else
    # Named AwsSolutions-<stage id>-<stack>-NagReport.json; an App's id is empty: AwsSolutions--ReadmeAppStack-….
    node -e "
      const files = require('fs').readdirSync('$1').filter((f) => /^AwsSolutions-.*ReadmeAppStack-NagReport\\.json$/.test(f));
      if (files.length !== 1) { console.error('cdk-nag AwsSolutions: no report in $1'); process.exit(1); }
      const lines = require('$1/' + files[0]).lines;
      const open = lines.filter((line) => !['Compliant', 'Suppressed'].includes(line.compliance));
      if (open.length > 0) { console.error('cdk-nag AwsSolutions:', JSON.stringify(open, null, 1)); process.exit(1); }
      const acknowledged = lines.filter((line) => line.compliance === 'Suppressed').length;
      console.log('cdk-nag AwsSolutions (aspect): no finding,', acknowledged, 'acknowledged by the library');"
  fi
}

# A fresh `cdk init` app with the README's example as its stack, the tarball, one aws-cdk-lib version and the
# cdk-nag an app on it uses.
readme_app() {
  local version="$1" dir="$WORK/app-$1/readme-app" major nag
  mkdir -p "$dir" && cd "$dir"
  "$ROOT/node_modules/.bin/cdk" init app --language typescript --generate-only >"$WORK/init.log" 2>&1 || { cat "$WORK/init.log"; return 1; }
  (cd "$ROOT" && npx tsx scripts/readme-example.ts "$dir/lib/readme-app-stack.ts" ReadmeAppStack)
  major="$(nag_major "$version")"
  nag="cdk-nag@$([[ "$major" == 3 ]] && echo "${CDK_RANGE_NAG3:-3}" || echo "${CDK_RANGE_NAG:-$(newest_nag2)}")"
  nag_app_entry "$major" >"$dir/bin/readme-app.ts"
  npm install "${NPM_QUIET[@]}" "$TARBALL" "aws-cdk-lib@$version" "$nag"
  node -e "for (const p of ['aws-cdk-lib', 'cdk-nag', 'typescript']) console.log(p, require(p + '/package.json').version)"
  npx cdk synth --no-notices -q   # cdk.json's app runs tsc (type-check) before the app; a cdk-nag finding fails it
  count_resources "$dir/cdk.out/ReadmeAppStack.template.json"
  nag_ran "$dir/cdk.out" "$major"
  validation_error_check
}

# A bad prop, as the app's own code would pass it: an aws-cdk-lib ValidationError (`Errors.isValidationError`)
# whose message starts with the construct's path, on this aws-cdk-lib version.
validation_error_check() {
  node -e "
    const { App, Errors, Stack } = require('aws-cdk-lib');
    const opensearch = require('aws-cdk-lib/aws-opensearchservice');
    const { DomainPackageAssociation } = require('cdk-opensearch-packages');
    const stack = new Stack(new App(), 'Bad');
    const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
      domainArn: 'arn:aws:es:us-east-1:123456789012:domain/search-one', domainEndpoint: 'https://search-one.example.com' });
    try {
      new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'pkg_bad' });
    } catch (e) {
      if (Errors.isValidationError(e) && e.message.startsWith('Bad/Synonyms: invalid packageId: ')) {
        console.log('synth error: a ValidationError,', JSON.stringify(e.message.slice(0, 60) + '…'));
        process.exit(0);
      }
      console.error('not a ValidationError naming the construct:', e);
      process.exit(1);
    }
    console.error('a bad packageId was accepted');
    process.exit(1);"
}

echo "aws-cdk-lib: lowest $MIN_CDK (cloud-assembly-schema $MIN_SCHEMA), newest $NEWEST_CDK; constructs: lowest $MIN_CONSTRUCTS"
step "copy the work tree" copy_tree
step "npm ci, build and pack" build_and_pack
if [[ "$WHAT" == all || "$WHAT" == app ]]; then
  step "README example in a cdk init app, aws-cdk-lib $NEWEST_CDK" readme_app "$NEWEST_CDK"
  step "README example in a cdk init app, aws-cdk-lib $MIN_CDK" readme_app "$MIN_CDK"
fi
if [[ "$WHAT" == all || "$WHAT" == min ]]; then
  step "install aws-cdk-lib $MIN_CDK, constructs $MIN_CONSTRUCTS (and cdk-nag 2.x below 2.271.0)" use_min_versions
  step "jsii, tsc, construct and example tests, example synth on aws-cdk-lib $MIN_CDK" min_tests
fi
echo "peer range checked: aws-cdk-lib $MIN_CDK..$NEWEST_CDK"
