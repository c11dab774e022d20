// describe for services, nodes, namespaces, configmaps, secrets and ingresses.
import { describeEvents } from './events.js';
import { formatLabels, printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline, rfc1123z } from './format.js';
import { nodeResourceLines } from './node-resources.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, PrefixWriter } from './writer.js';

/** formatEndpointSlices: up to three ready `ip:port` for the named port, then `+ N more...`. */
export function formatEndpointSlices(slices: any[], portName: string): string {
  if (!slices.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const slice of slices) {
    const ports: any[] = slice.ports ?? [];
    const endpoints: any[] = slice.endpoints ?? [];
    const ready = (e: any) => e.conditions?.ready === undefined || e.conditions?.ready === null || e.conditions.ready;
    if (!ports.length) {
      for (const e of endpoints.filter(ready)) {
        if (list.length < 3) list.push(e.addresses[0]);
        count++;
      }
      continue;
    }
    for (const port of ports) {
      if ((port.name ?? '') !== portName) continue;
      for (const e of endpoints.filter(ready)) {
        const addr: string = e.addresses[0];
        if (list.length < 3) list.push(addr.includes(':') ? `[${addr}]:${port.port}` : `${addr}:${port.port}`);
        count++;
      }
    }
  }
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

export function describeService(svc: any, slices: any[], events: any[] | undefined): string {
  const w = new PrefixWriter();
  const spec = svc.spec ?? {};
  w.write(LEVEL_0, `Name:\t${svc.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${svc.metadata.namespace}\n`);
  printLabelsMultiline(w, 'Labels', svc.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', svc.metadata.annotations);
  w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(LEVEL_0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(LEVEL_0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
  const ingress: any[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length) w.write(LEVEL_0, `LoadBalancer Ingress:\t${ingress.map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : i.hostname)).join(', ')}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    w.write(LEVEL_0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(LEVEL_0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`);
  }
  w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  if (spec.trafficDistribution) w.write(LEVEL_0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
  describeEvents(w, events);
  return w.toString();
}

export function describeNamespace(ns: any, quotas: any[] | undefined, limits: any[] | undefined): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${ns.metadata.name}\n`);
  printLabelsMultiline(w, 'Labels', ns.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', ns.metadata.annotations);
  w.write(LEVEL_0, `Status:\t${ns.status?.phase ?? ''}\n`);
  const conditions: any[] = ns.status?.conditions ?? [];
  if (conditions.length) {
    w.write(LEVEL_0, 'Conditions:\n');
    w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  if (quotas) {
    w.write(LEVEL_0, '\n');
    if (!quotas.length) w.write(LEVEL_0, 'No resource quota.\n');
    else {
      w.write(LEVEL_0, 'Resource Quotas\n');
      for (const q of [...quotas].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
        w.write(LEVEL_1, `Name:\t${q.metadata.name}\n`);
        w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
        w.write(LEVEL_1, '--------\t---\t---\n');
        for (const r of Object.keys(q.status?.hard ?? {}).sort()) w.write(LEVEL_1, `${r}\t${q.status?.used?.[r] ?? '0'}\t${q.status.hard[r]}\n`);
      }
    }
  }
  if (limits) {
    w.write(LEVEL_0, '\n');
    if (!limits.length) w.write(LEVEL_0, 'No LimitRange resource.\n');
    else {
      w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
      w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
      for (const lr of limits) {
        for (const item of lr.spec?.limits ?? []) {
          const names = new Set([item.max, item.min, item.default, item.defaultRequest, item.maxLimitRequestRatio].flatMap((m) => Object.keys(m ?? {})));
          for (const k of names) w.write(LEVEL_0, ` ${item.type}\t${k}\t${item.min?.[k] ?? '-'}\t${item.max?.[k] ?? '-'}\t${item.defaultRequest?.[k] ?? '-'}\t${item.default?.[k] ?? '-'}\t${item.maxLimitRequestRatio?.[k] ?? '-'}\n`);
        }
      }
    }
  }
  return w.toString();
}

export function describeConfigMap(cm: any, events: any[] | undefined): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${cm.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${cm.metadata.namespace}\n`);
  printLabelsMultiline(w, 'Labels', cm.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', cm.metadata.annotations);
  // Go ranges over a map here (random order); sorted keys are the one order that is reproducible.
  w.write(LEVEL_0, '\nData\n====\n');
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(LEVEL_0, `${k}:\n----\n`);
    w.write(LEVEL_0, `${cm.data[k]}\n`);
    w.write(LEVEL_0, '\n');
  }
  w.write(LEVEL_0, '\nBinaryData\n====\n');
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(LEVEL_0, `${k}: ${Buffer.from(cm.binaryData[k], 'base64').length} bytes\n`);
  w.write(LEVEL_0, '\n');
  describeEvents(w, events);
  return w.toString();
}

export function describeSecret(secret: any): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${secret.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${secret.metadata.namespace}\n`);
  printLabelsMultiline(w, 'Labels', secret.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', secret.metadata.annotations);
  w.write(LEVEL_0, `\nType:\t${secret.type ?? ''}\n`);
  w.write(LEVEL_0, '\nData\n====\n');
  for (const k of Object.keys(secret.data ?? {}).sort()) {
    const bytes = Buffer.from(secret.data[k], 'base64');
    if (k === 'token' && secret.type === 'kubernetes.io/service-account-token') w.write(LEVEL_0, `${k}:\t${bytes.toString('utf8')}\n`);
    else w.write(LEVEL_0, `${k}:\t${bytes.length} bytes\n`);
  }
  return w.toString();
}

export function describeNode(node: any, pods: any[], events: any[] | undefined, lease: any | undefined, leaseError: string | undefined): string {
  const w = new PrefixWriter();
  const labels: Record<string, string> = node.metadata.labels ?? {};
  const roles = [...new Set(Object.entries(labels).flatMap(([k, v]) => (k.startsWith('node-role.kubernetes.io/') && k.length > 24 ? [k.slice(24)] : k === 'kubernetes.io/role' && v ? [v] : [])))].sort();
  w.write(LEVEL_0, `Name:\t${node.metadata.name}\n`);
  w.write(LEVEL_0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', labels);
  printAnnotationsMultiline(w, 'Annotations', node.metadata.annotations);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
  printTaintsMultiline(w, 'Taints', node.spec?.taints);
  w.write(LEVEL_0, `Unschedulable:\t${!!node.spec?.unschedulable}\n`);
  if (lease) {
    w.write(LEVEL_0, 'Lease:\n');
    w.write(LEVEL_1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(LEVEL_1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
    w.write(LEVEL_1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
  } else w.write(LEVEL_0, `Lease:\tFailed to get lease: ${leaseError ?? ''}\n`);
  const conditions: any[] = node.status?.conditions ?? [];
  if (conditions.length) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  w.write(LEVEL_0, 'Addresses:\n');
  for (const a of node.status?.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [['Capacity', node.status?.capacity], ['Allocatable', node.status?.allocatable]] as const) {
    if (!Object.keys(list ?? {}).length) continue;
    w.write(LEVEL_0, `${title}:\n`);
    for (const r of Object.keys(list).sort()) w.write(LEVEL_0, `  ${r}:\t${list[r]}\n`);
  }
  const info = node.status?.nodeInfo ?? {};
  w.write(LEVEL_0, 'System Info:\n');
  for (const [label, key] of [['Machine ID', 'machineID'], ['System UUID', 'systemUUID'], ['Boot ID', 'bootID'], ['Kernel Version', 'kernelVersion'], ['OS Image', 'osImage'], ['Operating System', 'operatingSystem'], ['Architecture', 'architecture'], ['Container Runtime Version', 'containerRuntimeVersion'], ['Kubelet Version', 'kubeletVersion'], ['Kube-Proxy Version', 'kubeProxyVersion']]) {
    w.write(LEVEL_0, `  ${label}:\t${info[key!] ?? ''}\n`);
  }
  if (node.spec?.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) w.write(LEVEL_0, `ProviderID:\t${node.spec.providerID}\n`);
  describeNodeResources(w, node, pods);
  describeEvents(w, events);
  return w.toString();
}

function describeNodeResources(w: PrefixWriter, node: any, pods: any[]): void {
  const { podLines, totals } = nodeResourceLines(node, pods);
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  for (const line of podLines) w.write(LEVEL_1, `${line}\n`);
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  for (const line of totals) w.write(LEVEL_1, `${line}\n`);
}

export function describeIngress(ing: any, backend: (ns: string, b: any) => string, events: any[] | undefined): string {
  const w = new PrefixWriter();
  const spec = ing.spec ?? {};
  w.write(LEVEL_0, `Name:\t${ing.metadata.name}\n`);
  printLabelsMultiline(w, 'Labels', ing.metadata.labels);
  w.write(LEVEL_0, `Namespace:\t${ing.metadata.namespace}\n`);
  const addrs = [...new Set((ing.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean))].sort();
  w.write(LEVEL_0, `Address:\t${addrs.join(',')}\n`);
  w.write(LEVEL_0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
  const def = spec.defaultBackend ? backend(ing.metadata.namespace, spec.defaultBackend) : '<default>';
  w.write(LEVEL_0, `Default backend:\t${def}\n`);
  if (spec.tls?.length) {
    w.write(LEVEL_0, 'TLS:\n');
    for (const t of spec.tls) w.write(LEVEL_1, t.secretName ? `${t.secretName} terminates ${(t.hosts ?? []).join(',')}\n` : `SNI routes ${(t.hosts ?? []).join(',')}\n`);
  }
  w.write(LEVEL_0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(LEVEL_1, '----\t----\t--------\n');
  let count = 0;
  for (const rule of spec.rules ?? []) {
    if (!rule.http) continue;
    count++;
    w.write(LEVEL_1, `${rule.host || '*'}\t\n`);
    for (const p of rule.http.paths ?? []) w.write(LEVEL_2, `\t${p.path ?? ''} \t${backend(ing.metadata.namespace, p.backend)}\n`);
  }
  if (count === 0) w.write(LEVEL_1, `*\t*\t${def}\n`);
  printAnnotationsMultiline(w, 'Annotations', ing.metadata.annotations);
  describeEvents(w, events);
  return w.toString();
}
