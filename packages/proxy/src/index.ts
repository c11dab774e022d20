export { startProxy, ServiceProxy, type ProxyOptions } from './proxy.js';
export { desiredListeners, backendsFor, type Backend, type ListenerSpec } from './plan.js';
export { planLoadBalancers, parseRange, DEFAULT_LOAD_BALANCER_CIDR } from './load-balancer.js';
export { Balancer } from './balancer.js';
export { Proxier } from './proxier.js';
export { IngressController, startIngress, type IngressOptions } from './ingress/controller.js';
export { routingTable, matchRoute, isOurs, INGRESS_CLASS, type RoutingTable, type Route, type ServiceRef } from './ingress/routes.js';
export * from './dns/index.js';
