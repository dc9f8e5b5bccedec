import type { ConsoleServices } from '../console-services.ts';
import type { ConsoleViewer } from '../session/console-viewer.ts';

/** The organizations an admin may pick from; an organization's session has only its own. */
export async function organizationIds(
  services: ConsoleServices,
  viewer: ConsoleViewer,
): Promise<string[]> {
  if (viewer.organizationId !== null) {
    return [viewer.organizationId];
  }
  return (await services.store.organizations.list()).map((organization) => organization.id);
}
