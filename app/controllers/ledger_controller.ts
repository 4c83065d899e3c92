import type { HttpContext } from '@adonisjs/core/http'
import { ok } from '#http/api_response'
import { listLedgerValidator } from '#validators/ledger'
import { balanceOf } from '#services/ledger/balances'
import { listLedger } from '#services/ledger/list_ledger'

export default class LedgerController {
  async balance(ctx: HttpContext) {
    return ok(ctx, { balance: await balanceOf(ctx.auth.getUserOrFail()) })
  }

  async entries(ctx: HttpContext) {
    const filters = await listLedgerValidator.validate(ctx.request.qs())
    return ok(ctx, await listLedger(ctx.auth.getUserOrFail(), filters))
  }
}
