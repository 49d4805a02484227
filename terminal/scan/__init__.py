"""Reading card numbers from pictures (a webcam frame, a photo, a rendered card) with zxing-cpp."""

from terminal.scan.decode import ScannedCode, card_numbers_in, codes_in

__all__ = ["ScannedCode", "card_numbers_in", "codes_in"]
