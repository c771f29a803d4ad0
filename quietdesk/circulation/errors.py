"""What can go wrong at the desk or the self-check, each with a code (for the
JSON API) and a message a person can act on. Messages never name a patron."""


class CirculationError(ValueError):
    code = "refused"
    status = 409  # HTTP status for the JSON API

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default)

    default = "That cannot be done."

    @property
    def message(self) -> str:
        return str(self)


class UnknownItem(CirculationError):
    code, status = "unknown_item", 404
    default = "No item has that barcode. Check the barcode, or add the item to the catalogue."


class UnknownPatron(CirculationError):
    code, status = "unknown_patron", 404
    default = "No patron has that card number. Check the card, or register the patron."


class AlreadyOut(CirculationError):
    code = "already_out"
    default = "This item is already checked out. Check it in first if it is in your hands."


class NotOut(CirculationError):
    code = "not_out"
    default = "This item is not checked out, so there is nothing to check in."


class HeldForAnother(CirculationError):
    code = "held_for_another"
    default = "This item is on the hold shelf for another patron."


class ItemMissing(CirculationError):
    code = "item_missing"
    default = "This item is marked missing. Check it in to put it back on the shelf."


class RenewRefused(CirculationError):
    code = "renew_refused"


class HoldRefused(CirculationError):
    code = "hold_refused"


class NothingOwed(CirculationError):
    code = "nothing_owed"
    default = "Nothing is owed on this loan."


class BadAmount(CirculationError):
    code = "bad_amount"  # 409: a valid amount, refused because of what is owed
    default = "Enter an amount in cents between 1 and what is owed."


class IllRefused(CirculationError):
    code = "ill_refused"
