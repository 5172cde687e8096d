// Which dashboard roles each action is offered to: the upstream route's @RolesAllowed, which checks it again.

const MAY = {
  decideEscalation: ['operator', 'admin'], // gate-service EscalationResource.decide
  suspendAgent: ['operator', 'admin'], // gate-service AgentResource.suspend / reinstate
  containAgent: ['operator', 'admin'], // gate-service containment and its lift
  silence: ['operator', 'admin'], // telemetry-service SilencesResource.create / expire
};

/** Whether the signed-in caller holds a role the action's route admits. */
export function may(caller, action) {
  return (MAY[action] ?? []).some(role => caller.roles.includes(role));
}

/** Why a button is missing, for callers whose roles the route does not admit. */
export function notAllowed(caller, what) {
  return `Your roles (${caller.roles.join(', ')}) may not ${what}.`;
}
