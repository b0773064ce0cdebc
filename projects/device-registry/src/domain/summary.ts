/** The fields of a device profile a summary shows. */
export interface DeviceProfile {
  readonly serialNumber: string;
  readonly modelName: string;
  readonly firmwareVersion: string;
  readonly siteId: string;
  readonly registeredAt: string;
  readonly assignedWorkerId?: string;
}

/** One sentence for the person who registered the scanner. */
export function describeDevice(profile: DeviceProfile): string {
  const assignment = profile.assignedWorkerId === undefined
    ? 'not assigned to a worker yet'
    : `assigned to worker ${profile.assignedWorkerId}`;
  return `Scanner ${profile.serialNumber} (${profile.modelName}, firmware ${profile.firmwareVersion}) `
    + `is registered at site ${profile.siteId} since ${profile.registeredAt.slice(0, 10)} and ${assignment}.`;
}
