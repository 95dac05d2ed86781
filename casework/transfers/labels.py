"""How transfer and return values are named on screen (Indonesian, translated when shown)."""

from flask_babel import lazy_gettext as _l

from casework.transfers.models import Handover, ReturnStatus, TransferStatus, TravelMode

TRANSFER_STATUS_LABELS = {
    TransferStatus.PROPOSED: _l("menunggu persetujuan supervisor"),
    TransferStatus.APPROVED: _l("menunggu jawaban dinas penerima"),
    TransferStatus.REJECTED: _l("ditolak supervisor"),
    TransferStatus.ACCEPTED: _l("diterima dan diserahkan"),
    TransferStatus.DECLINED: _l("tidak diterima dinas penerima"),
}

RETURN_STATUS_LABELS = {
    ReturnStatus.PLANNED: _l("direncanakan"),
    ReturnStatus.DEPARTED: _l("dalam perjalanan"),
    ReturnStatus.ARRIVED: _l("sudah tiba"),
}

TRAVEL_MODE_LABELS = {
    TravelMode.BUS: _l("Bus"),
    TravelMode.TRAIN: _l("Kereta api"),
    TravelMode.SHIP: _l("Kapal laut"),
    TravelMode.PLANE: _l("Pesawat"),
    TravelMode.AGENCY_VEHICLE: _l("Kendaraan dinas"),
    TravelMode.OTHER: _l("Lainnya"),
}

HANDOVER_LABELS = {
    Handover.FAMILY: _l("Diserahkan ke keluarga"),
    Handover.ORIGIN_AGENCY: _l("Diserahkan ke dinas sosial daerah asal"),
}
