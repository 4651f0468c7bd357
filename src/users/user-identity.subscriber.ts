import { EventSubscriber } from 'typeorm';
import type { EntitySubscriberInterface, InsertEvent, ObjectLiteral, UpdateEvent } from 'typeorm';
import { normalizeIdentity } from './identity-normalization';
import { User } from './user.entity';

/**
 * Keeps `emailNormalized` and `usernameNormalized` in step with `email` and `username` on every
 * insert and update of a user, whichever way it is written (an entity saved, `update()`, a query
 * builder's `set()`), so that no code path can change an email and leave the old one findable.
 * Raw SQL bypasses it: write users through TypeORM. Registered in data-source-options.ts.
 */
@EventSubscriber()
export class UserIdentitySubscriber implements EntitySubscriberInterface<User> {
  listenTo(): typeof User {
    return User;
  }

  beforeInsert(event: InsertEvent<User>): void {
    fillNormalizedIdentity(event.entity);
  }

  beforeUpdate(event: UpdateEvent<User>): void {
    if (event.entity) {
      fillNormalizedIdentity(event.entity);
    }
  }
}

/** Sets the folded forms of the email and the username present in `values`. */
function fillNormalizedIdentity(values: ObjectLiteral): void {
  if (typeof values.email === 'string') {
    values.emailNormalized = normalizeIdentity(values.email);
  }
  if (typeof values.username === 'string') {
    values.usernameNormalized = normalizeIdentity(values.username);
  }
}
