// Jenkins shared-library step: profiles a large dataset in parallel branches, each reading
// only its share (`sluice profile --shard i/N`), merges the profiles and runs drift against
// a reference. Help: sluiceProfileParallel.txt beside this file.

def call(Map args = [:]) {
    String sluice = args.get('sluice', 'sluice')
    String data = args.get('data') ?: error('sluiceProfileParallel: data is required')
    String reference = args.get('reference', '')
    String schema = args.get('schema', '')
    String label = args.get('label', '')
    int shards = (args.get('shards', 4) as int)
    if (shards < 1) {
        error("sluiceProfileParallel: shards must be 1 or more, got ${shards}")
    }
    String schemaFlag = schema ? "--schema '${schema}'" : ''

    Map branches = [:]
    for (int i = 1; i <= shards; i++) {
        int index = i
        Closure profileShare = {
            sh "${sluice} profile '${data}' --shard ${index}/${shards} --out 'profile-${index}.json' ${schemaFlag}"
            stash name: "sluice-profile-${index}", includes: "profile-${index}.json"
        }
        // With a label each branch runs on its own agent (and its own checkout); without,
        // the branches share this workspace.
        branches["profile ${index}/${shards}"] = label ? { node(label) { checkout scm; profileShare() } } : profileShare
    }
    parallel branches

    for (int i = 1; i <= shards; i++) {
        unstash "sluice-profile-${i}"
    }
    sh "${sluice} profile merge profile-*.json --out current.profile.json"
    archiveArtifacts artifacts: 'profile-*.json, current.profile.json', allowEmptyArchive: false
    if (!reference) {
        return 0
    }
    int status = sh(
        script: "${sluice} drift --reference '${reference}' --current current.profile.json --out drift.json ${schemaFlag}",
        returnStatus: true
    )
    archiveArtifacts artifacts: 'drift.json', allowEmptyArchive: true
    if (status > 1) {
        error("Sluice: drift could not run (exit ${status}); see the log above")
    }
    return status
}
