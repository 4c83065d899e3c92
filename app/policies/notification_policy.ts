import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import type Notification from '#models/notification'
import { hidden } from '#policies/access'

export default class NotificationPolicy extends BasePolicy {
  read(user: User, notification: Notification): AuthorizerResponse {
    return notification.userId === user.id ? true : hidden()
  }
}
