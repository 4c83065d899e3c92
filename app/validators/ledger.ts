import vine from '@vinejs/vine'
import { bigIdListFields } from '#validators/pagination'

export const listLedgerValidator = vine.create({ ...bigIdListFields })
