import { BaseSeeder } from '@adonisjs/lucid/seeders'
import User, { type UserRole } from '#models/user'
import { createUser } from '#services/users/create_user'

/**
 * Demo accounts for the embedded start. Their password is public: these
 * accounts exist only on a developer's machine.
 */
export const DEMO_PASSWORD = 'demo-password'

export const DEMO_ACCOUNTS: Array<{ email: string; role: UserRole; displayName: string }> = [
  { email: 'admin@demo.collab', role: 'admin', displayName: 'Администратор' },
  { email: 'brand1@demo.collab', role: 'brand', displayName: 'Бренд «Северный ветер»' },
  { email: 'brand2@demo.collab', role: 'brand', displayName: 'Бренд «Лисья нора»' },
  { email: 'creator1@demo.collab', role: 'creator', displayName: 'Маша Рисует' },
  { email: 'creator2@demo.collab', role: 'creator', displayName: 'Петя Снимает' },
  { email: 'creator3@demo.collab', role: 'creator', displayName: 'Оля Пишет' },
]

export default class DemoSeeder extends BaseSeeder {
  static environment = ['development', 'test']

  async run() {
    for (const account of DEMO_ACCOUNTS) {
      const existing = await User.findBy('email', account.email)
      if (!existing) {
        await createUser({ ...account, password: DEMO_PASSWORD })
      }
    }
  }
}
