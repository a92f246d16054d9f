/**
 * The Lua scripts of {@link RedisCoordinationStore}. Revocations live in one sorted set (member: session id,
 * score: expiry in epoch milliseconds) and marks in one JSON key per subject indexed by a sorted set of
 * subjects; both sets are the source of truth, trimmed of expired members on every write. Every write is also
 * published (`<expiry> <id>[ <json>]`) so each instance's local mirror learns it at once; after a
 * (re)connection the mirror reads the live sets again.
 */

/** Deletes the lease only while it still holds this owner's token (a lease that expired and was retaken is kept). */
export const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/** KEYS[1] the revocation set; ARGV: session id, expiry, now, channel. Keeps the later expiry, trims, publishes. */
export const REVOKE_SCRIPT = `
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if (not held) or tonumber(held) < tonumber(ARGV[2]) then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[2] .. ' ' .. ARGV[1])
return 1`;

/** KEYS[1] the revocation set; ARGV: session id, now. 1 while the session's revocation has not expired. */
export const IS_REVOKED_SCRIPT = `
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if held and tonumber(held) > tonumber(ARGV[2]) then return 1 end
return 0`;

/** KEYS[1] a set of expiries; ARGV: now. Its live members, as [id, expiry, id, expiry, …]. */
export const LIVE_SCRIPT = "return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES')";

/**
 * KEYS[1] a subject's marks, KEYS[2] the subject index; ARGV: marks JSON, ttl, now, channel, subject.
 * Merges atomically (times keep the later value, a new digest replaces the old), keeps the key at least
 * `ttl` more, indexes the subject until then, and publishes the merged marks.
 */
export const MARK_SCRIPT = `
local current = {}
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, value = pcall(cjson.decode, raw)
  if ok and type(value) == 'table' then current = value end
end
local next = cjson.decode(ARGV[1])
for _, field in ipairs({'revokedAt', 'staleAt'}) do
  local value = tonumber(next[field])
  if value and (tonumber(current[field]) == nil or value > tonumber(current[field])) then current[field] = value end
end
if type(next.digest) == 'string' then current.digest = next.digest end
local ttl = tonumber(ARGV[2])
local remaining = redis.call('PTTL', KEYS[1])
if remaining > ttl then ttl = remaining end
local encoded = cjson.encode(current)
redis.call('SET', KEYS[1], encoded, 'PX', ttl)
local expiresAt = tonumber(ARGV[3]) + ttl
redis.call('ZADD', KEYS[2], expiresAt, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
redis.call('PUBLISH', ARGV[4], string.format('%d', expiresAt) .. ' ' .. ARGV[5] .. ' ' .. encoded)
return 1`;

/** Reads several keys in one round trip. */
export const READ_SCRIPT = "return redis.call('MGET', unpack(KEYS))";
