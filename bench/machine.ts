/** The machine the figures were measured on. */
import * as os from 'os';

export interface MachineInfo {
  readonly os: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly awsCdkLib: string;
  readonly awsSdkClientOpenSearch: string;
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    awsCdkLib: packageVersion('aws-cdk-lib'),
    awsSdkClientOpenSearch: packageVersion('@aws-sdk/client-opensearch'),
  };
}

function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}
