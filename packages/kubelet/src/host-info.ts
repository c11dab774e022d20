// The host facts a node reports in status.nodeInfo. Identifiers are derived from the node name so
// that they stay put across restarts, as a machine's would.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { arch, release } from 'node:os';
import type { NodeSystemInfo } from 'kubernetes-types/core/v1';
import { KUBELET_VERSION } from './node-object.js';

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

let osImage: string | undefined;

function readOsImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return m?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

const id = (nodeName: string, what: string): string => createHash('sha256').update(`${what}:${nodeName}`).digest('hex').slice(0, 32);

export function nodeSystemInfo(nodeName: string, containerRuntimeVersion: string): NodeSystemInfo {
  osImage ??= readOsImage();
  const uuid = id(nodeName, 'system');
  return {
    architecture: GO_ARCH[arch()] ?? arch(),
    bootID: id(nodeName, 'boot'),
    containerRuntimeVersion,
    kernelVersion: release(),
    kubeProxyVersion: '',
    kubeletVersion: KUBELET_VERSION,
    machineID: id(nodeName, 'machine'),
    operatingSystem: 'linux',
    osImage,
    systemUUID: `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20, 32)}`,
  };
}
