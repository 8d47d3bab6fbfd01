/// The built-in templates, the same text as the files in `templates/report/` (a test keeps
/// them equal): embedded so the binary needs no files beside it.
enum DefaultTemplates {
    /// `templates/report/comment.mustache`: the merge request comment and `report.md`.
    static let comment = #"""
### {{headline.icon}} **{{headline.verdict}}**: {{headline.reason}}

{{#lineage}}{{#any}}Sluice{{#key}} · {{key}}{{/key}}{{#change}} · {{#url}}[!{{number}}]({{url}}){{/url}}{{^url}}#{{number}}{{/url}}{{#title}} {{title}}{{/title}}{{/change}}{{#shortCommit}} · commit `{{shortCommit}}`{{/shortCommit}}{{#branch}} · {{branch}}{{#targetBranch}} → {{targetBranch}}{{/targetBranch}}{{/branch}}{{#pipelineURL}} · [pipeline]({{pipelineURL}}){{/pipelineURL}}{{#mlflowRunURL}} · [MLflow run]({{mlflowRunURL}}){{/mlflowRunURL}}{{#mlflowVersion}} · registered {{mlflowVersion}}{{/mlflowVersion}}{{/any}}{{/lineage}}
{{#reportURL}}
📄 [Open the full report]({{reportURL}}): every row and chart.
{{/reportURL}}

{{#metrics}}
#### Metrics{{#holdout}} on {{holdout}}{{/holdout}} ({{rowCount}} rows{{#unlabelledRows}}; {{unlabelledRows}} without a label left out{{/unlabelledRows}})

{{^championAvailable}}
No champion to compare with: the candidate's own metrics follow.

{{/championAvailable}}
| metric | champion | candidate | delta | 95% CI | |
|---|---:|---:|---:|---|---|
{{#rows}}
| {{name}} {{direction}} | {{champion}} | **{{candidate}}** | {{delta}} | {{ci}} | {{mark}} |
{{/rows}}
{{#hasMore}}

{{moreNote}}
{{/hasMore}}

{{/metrics}}
{{{metricsChart}}}

{{#trend}}
#### Trend on {{branch}}

{{#hasRows}}
| metric | last {{count}} runs of {{branch}}, then this run | {{branch}}{{#lastCommit}} ({{lastCommit}}){{/lastCommit}} | this run | change |
|---|---|---:|---:|---:|
{{#rows}}
| {{name}} {{direction}} | {{sparkline}} | {{last}} | **{{current}}** | {{change}} |
{{/rows}}

<sub>History from {{origin}}.</sub>
{{#charts}}

{{{chart}}}
{{/charts}}
{{/hasRows}}
{{^hasRows}}
No history to compare with: {{missing}}.
{{/hasRows}}

{{/trend}}

{{#gates}}
#### Gates: {{summary}}

| gate | kind | result | detail |
|---|---|---|---|
{{#rows}}
| {{name}} | {{kind}} | {{mark}} | {{detail}} |
{{/rows}}
{{#hasMore}}

{{moreNote}}
{{/hasMore}}

{{/gates}}
{{#hygiene}}
#### Data hygiene: {{#clean}}✅{{/clean}}{{^clean}}⚠️{{/clean}} {{summary}}

{{#rows}}
- {{mark}} **{{subject}}**: {{evidence}}
{{/rows}}

{{/hygiene}}
{{#drift}}
#### Drift: {{driftedFeatures}} of {{totalFeatures}} features drifted ({{share}}; dataset drift at {{threshold}}){{#datasetDrift}}: **dataset drift**{{/datasetDrift}}

<details><summary>Per-feature drift ({{reference}} → {{current}}){{#fromSketches}}, computed from sketches{{/fromSketches}}</summary>

| feature | kind | method | statistic | p-value | threshold | missing ref → cur | |
|---|---|---|---:|---:|---:|---|---|
{{#rows}}
| {{name}} | {{kind}} | {{method}} | {{statistic}} | {{pValue}} | {{threshold}} | {{missingReference}} → {{missingCurrent}} | {{mark}} |
{{/rows}}
{{#hasMore}}

{{moreNote}}
{{/hasMore}}

</details>

{{/drift}}
{{{driftChart}}}
{{#driftHistograms}}

{{{chart}}}
{{/driftHistograms}}
{{#hasDriftHistograms}}

_Bars: current data; line: reference; bins: the reference's deciles (a tenth of its rows each)._
{{/hasDriftHistograms}}

{{#validation}}
{{#valid}}
Validation of {{file}}: {{line}}.

{{/valid}}
{{^valid}}
<details><summary>Validation of {{file}}: {{line}}</summary>

{{#byType}}
- {{name}}: {{count}}
{{/byType}}
{{^empty}}

| row | field | type | message |
|---:|---|---|---|
{{#rows}}
| {{row}} | {{field}} | {{type}} | {{message}} |
{{/rows}}
{{/empty}}
{{#hasMore}}

{{moreNote}}
{{/hasMore}}

</details>

{{/valid}}
{{/validation}}
{{#metrics.slices}}
<details><summary>Slices{{#worst}} · worst {{metric}}: {{slice}} ({{value}}){{/worst}}</summary>

{{#gates}}
- {{mark}} slice gate {{name}}: {{detail}}
{{/gates}}

{{{header}}}
{{{align}}}
{{#rows}}
{{{line}}}
{{/rows}}
{{#hasMore}}

{{moreNote}}
{{/hasMore}}
{{#others}}

Other metrics per slice:

{{{header}}}
{{{align}}}
{{#rows}}
{{{line}}}
{{/rows}}
{{/others}}

</details>

{{/metrics.slices}}
{{#tests}}
<details><summary>Tests: {{passedCount}} passed, {{failedCount}} failed, {{skippedCount}} skipped</summary>

{{^empty}}
| | suite | test | message |
|---|---|---|---|
{{#rows}}
| {{mark}} | {{suite}} | {{name}} | {{message}} |
{{/rows}}
{{/empty}}
{{#hasMore}}

{{moreNote}}
{{/hasMore}}

</details>

{{/tests}}
{{#triggers}}
<details><summary>Retraining triggers</summary>

| trigger | | evidence |
|---|---|---|
{{#rows}}
| {{name}} | {{mark}} | {{evidence}} |
{{/rows}}

</details>

{{/triggers}}
{{#stages}}
<details><summary>Stages</summary>

| stage | result | time | note |
|---|---|---:|---|
{{#rows}}
| {{name}} | {{mark}} | {{duration}} | {{message}} |
{{/rows}}
{{#rows}}
{{#logTail}}

Last lines of {{name}}:

{{{logTail}}}
{{/logTail}}
{{/rows}}

</details>

{{/stages}}
{{#lineage.hasLineageDetails}}
<details><summary>Lineage</summary>

{{#lineage.hasDataHashes}}
| data | sha256 |
|---|---|
{{/lineage.hasDataHashes}}
{{#lineage.dataHashes}}
| {{path}} | `{{sha256}}` |
{{/lineage.dataHashes}}
{{#lineage.hasParameters}}

| parameter | value |
|---|---|
{{/lineage.hasParameters}}
{{#lineage.parameters}}
| {{name}} | {{value}} |
{{/lineage.parameters}}

</details>

{{/lineage.hasLineageDetails}}
{{#image}}
Image: {{reference}} ({{digest}}){{#pushed}}, pushed{{/pushed}}{{#promotedTag}}, promoted to {{promotedTag}}{{/promotedTag}}
{{#smoke}}

Smoke test: {{outcome}}{{#startup}}, ready in {{startup}}{{/startup}}{{#latency}}, {{rows}} rows answered in {{latency}}{{/latency}}{{#runtime}} ({{runtime}}){{/runtime}}: {{detail}}
{{/smoke}}

{{/image}}
<sub>sluice {{run.sluiceVersion}} · run {{run.id}}</sub>

"""#
}
