// Endpoints and EndpointSlice: port protocol defaults and the address type enum.
import type { Endpoints } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { at, child, fill, oneOf } from './fields.js';
import { kindRules } from './kind.js';

export const endpointsRules = kindRules<Endpoints>({
  defaults(ep) {
    for (const subset of ep.subsets ?? []) for (const port of subset.ports ?? []) fill(port, 'protocol', 'TCP');
  },
  validate(ep) {
    const errs: FieldError[] = [];
    (ep.subsets ?? []).forEach((subset, i) =>
      (subset.addresses ?? []).forEach((a, j) => {
        if (!a.ip) errs.push(fieldErrors.required(child(at(child(at('subsets', i), 'addresses'), j), 'ip')));
      }),
    );
    return errs;
  },
});

export const endpointSliceRules = kindRules<EndpointSlice>({
  defaults(slice) {
    for (const port of slice.ports ?? []) fill(port, 'protocol', 'TCP');
  },
  validate(slice) {
    const errs = oneOf(slice.addressType, ['FQDN', 'IPv4', 'IPv6'], 'addressType', true);
    (slice.endpoints ?? []).forEach((e, i) => {
      if ((e.addresses ?? []).length === 0) errs.push(fieldErrors.required(child(at('endpoints', i), 'addresses'), 'must contain at least 1 address'));
    });
    return errs;
  },
  validateUpdate: (slice, old) =>
    slice.addressType === old.addressType ? [] : [fieldErrors.invalid('addressType', slice.addressType, 'field is immutable')],
});
