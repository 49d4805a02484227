"""Camera scanning without a camera: the button is absent, and frames decode off the UI thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from terminal.app.enrollment import Enrollment
from terminal.cardprint import card_job, render_page
from terminal.core.customer_form import CustomerForm
from terminal.ui.camera_scanner import FrameDecoder, camera_available


def _webcam_frame(card_image: QImage) -> QImage:
    """A 1280×720 frame with the card held off-centre on a grey background."""
    frame = QImage(1280, 720, QImage.Format.Format_RGB32)
    frame.fill(QColor("#8a8f94"))
    painter = QPainter(frame)
    painter.drawImage(380, 160, card_image.scaledToWidth(640, Qt.SmoothTransformation))
    painter.end()
    return frame


@pytest.fixture
def card(till) -> str:
    return Enrollment(till).register(CustomerForm("Олена", "0671234567")).card


def test_no_camera_on_this_machine_means_no_button(qapp) -> None:
    from PySide6.QtMultimedia import QMediaDevices

    if QMediaDevices.videoInputs():
        pytest.skip("this machine has a camera")
    assert camera_available() is False


def test_a_frame_of_a_card_is_decoded_to_its_number(qtbot, till, card) -> None:
    decoder = FrameDecoder(interval_ms=0)
    frame = _webcam_frame(render_page(card_job(till, card), 0, dpi=200))
    with qtbot.waitSignal(decoder.decoded, timeout=5000) as signal:
        assert decoder.offer(frame)
    assert signal.args == [card]


def test_busy_decoder_drops_frames_and_repeats_are_reported_once(qtbot, till, card) -> None:
    decoder = FrameDecoder(interval_ms=0, repeat_after_ms=60_000)
    frame = _webcam_frame(render_page(card_job(till, card), 0, dpi=200))
    seen: list[str] = []
    decoder.decoded.connect(seen.append)
    assert decoder.offer(frame)
    assert not decoder.offer(frame), "a second frame was queued while the first is decoding"
    qtbot.waitUntil(lambda: decoder.frames_decoded == 1)
    assert decoder.offer(frame)
    qtbot.waitUntil(lambda: decoder.frames_decoded == 2)
    assert seen == [card]


def test_a_frame_without_a_card_emits_nothing(qtbot) -> None:
    decoder = FrameDecoder(interval_ms=0)
    seen: list[str] = []
    decoder.decoded.connect(seen.append)
    blank = QImage(640, 480, QImage.Format.Format_RGB32)
    blank.fill(QColor("white"))
    assert decoder.offer(blank)
    qtbot.waitUntil(lambda: decoder.frames_decoded == 1)
    assert seen == []


def test_opening_the_scanner_without_a_camera_says_so(qtbot) -> None:
    from terminal.ui.camera_scanner import CameraScanDialog

    dialog = CameraScanDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "camera" in dialog.scanner.hint.text().lower())
    if camera_available():
        pytest.skip("this machine has a camera")
    assert dialog.scanner.hint.text() == "No camera is connected."
    assert not dialog.scanner.camera.isActive()


def test_frames_from_the_video_sink_reach_the_decoder(qtbot, till, card) -> None:
    """The scanner's own frame slot, fed the way the video sink feeds it (no camera needed)."""
    from PySide6.QtMultimedia import QVideoFrame

    from terminal.ui.camera_scanner import CameraScanner

    scanner = CameraScanner()
    qtbot.addWidget(scanner)
    scanner.decoder.interval_ms = 0
    image = _webcam_frame(render_page(card_job(till, card), 0, dpi=200))
    frame = QVideoFrame(image.convertToFormat(QImage.Format.Format_ARGB32))
    with qtbot.waitSignal(scanner.cardScanned, timeout=5000) as signal:
        scanner._on_frame(frame)
    assert signal.args == [card]
