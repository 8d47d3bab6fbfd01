// Jenkins shared-library step: runs `sluice run` and publishes its reports.
// Help: sluiceRun.txt beside this file.

def call(Map args = [:]) {
    String config = args.get('config', 'sluice.yml')
    String sluice = args.get('sluice', 'sluice')
    String mode = args.get('mode') ?: sluiceMode()
    String extra = args.get('extraArgs', '')
    boolean failOnVerdict = args.get('failOnVerdict', true)

    int status = sh(
        script: "${sluice} run --config '${config}' --mode ${mode} ${extra}",
        returnStatus: true
    )

    junit allowEmptyResults: true, testResults: '.sluice/latest/junit.xml'
    // Reports, rejected.csv and the image layout only: the data never leaves as an artifact.
    archiveArtifacts artifacts: '.sluice/latest/**, .sluice/runs/*/image/**', allowEmptyArchive: true
    publishSluiceReport()

    switch (status) {
        case 0:
            return status
        case 1:
            // A verdict said no: invalid data or a failed gate.
            if (failOnVerdict) {
                error('Sluice: a verdict said no (exit 1); see the Sluice report')
            }
            unstable('Sluice: a verdict said no (exit 1)')
            return status
        case 2:
            error('Sluice: configuration error (exit 2); see the log above')
        default:
            error("Sluice: infrastructure error (exit ${status}); see the log above")
    }
}

// The pipeline kind: a change request, a timer-triggered (nightly) build, or a push.
String sluiceMode() {
    if (env.CHANGE_ID) {
        return 'mr'
    }
    def timer = currentBuild.getBuildCauses('hudson.triggers.TimerTrigger$TimerTriggerCause')
    return timer ? 'nightly' : 'push'
}

// Publishes the HTML report with the HTML Publisher plugin when it is installed.
void publishSluiceReport() {
    try {
        publishHTML(target: [
            reportDir: '.sluice/latest',
            reportFiles: 'report.html',
            reportName: 'Sluice report',
            keepAll: true,
            alwaysLinkToLastBuild: true,
            allowMissing: true
        ])
    } catch (NoSuchMethodError ignored) {
        echo 'HTML Publisher plugin not installed; the report is in the archived artifacts.'
    }
}
