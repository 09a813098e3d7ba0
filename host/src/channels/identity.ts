import { DevopsAiError } from '@devops-ai/core';
import type { HostUser, UserRegistry } from '../users.js';
import type { ChannelsConfig } from './config.js';

export class ChannelConfigError extends DevopsAiError {
  override readonly name = 'ChannelConfigError';
  constructor(message: string) {
    super('config_error', message);
  }
}

export interface IdentityMap {
  /** The devops-ai user a verified platform user maps to (never a name taken from message text). */
  resolve(platform: 'slack' | 'telegram', platformUser: string): HostUser | undefined;
  /** Under `unknownUsers: read-only`, the viewer unmapped users act as; otherwise undefined. */
  readOnly: HostUser | undefined;
  unknownUsers: 'ignore' | 'read-only';
  /** Platform user ids mapped on one platform (Telegram's allow-list includes them). */
  mapped(platform: 'slack' | 'telegram'): string[];
}

/** Checks the identity map against the user registry once, at start-up. */
export function createIdentityMap(
  cfg: Pick<ChannelsConfig, 'identities' | 'unknownUsers' | 'readOnlyUser'>,
  users: UserRegistry,
): IdentityMap {
  const map = new Map<string, HostUser>();
  for (const [key, id] of Object.entries(cfg.identities)) {
    const u = users.get(id) as HostUser | undefined;
    if (!u)
      throw new ChannelConfigError(`identity ${key} maps to ${id || '(nothing)'}, which is not a host user`);
    map.set(key, u);
  }
  let readOnly: HostUser | undefined;
  if (cfg.unknownUsers === 'read-only') {
    const id = cfg.readOnlyUser;
    const candidate = id
      ? (users.get(id) as HostUser | undefined)
      : users.all().find((u) => u.roles.length > 0 && u.roles.every((r) => r === 'viewer'));
    if (!candidate)
      throw new ChannelConfigError(
        'unknownUsers=read-only needs a viewer to act as: set DEVOPS_AI_CHANNEL_READ_ONLY_USER',
      );
    if (candidate.roles.some((r) => r !== 'viewer'))
      throw new ChannelConfigError(
        `read-only user ${candidate.id} has roles ${candidate.roles.join(', ')}; it must be a viewer only`,
      );
    readOnly = candidate;
  }
  return {
    resolve: (platform, platformUser) => map.get(`${platform}:${platformUser}`),
    readOnly,
    unknownUsers: cfg.unknownUsers,
    mapped: (platform) =>
      [...map.keys()].filter((k) => k.startsWith(`${platform}:`)).map((k) => k.slice(platform.length + 1)),
  };
}
