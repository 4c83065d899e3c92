import type Invite from '#models/invite'

export function invitePayload(invite: Invite, offerTitle: string) {
  return {
    inviteId: invite.id,
    offerId: invite.offerId,
    offerTitle,
    brandId: invite.brandId,
    creatorId: invite.creatorId,
  }
}
