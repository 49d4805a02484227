"""Reading a loyalty card with a webcam: live preview, frames decoded off the UI thread.

API for the Counter (and any screen that wants it):

- ``camera_available() -> bool`` — show the "camera" button only when this is True.
- ``CameraScanner(parent)`` — a widget with the live preview; ``start()``/``stop()``;
  signal ``cardScanned(str)`` with a normalized 13-digit card number (QR or EAN-13).
- ``CameraScanDialog(parent)`` — the scanner in a small dialog that starts the camera, emits
  ``cardScanned(str)`` once and closes itself; Esc closes it without a card.
- ``FrameDecoder`` — what the scanner feeds frames into; usable without a camera (tests feed
  it QImages of rendered cards).

Frames arrive 15–60 times a second; the decoder takes at most one every ``interval_ms`` and
never queues more than one, so a slow machine drops frames instead of falling behind, and the
UI thread only copies a frame (a few ms). The same card held in view is reported once.
"""

from __future__ import annotations

import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QElapsedTimer, QObject, Qt, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from terminal.scan import card_numbers_in

log = logging.getLogger("camera")

MAX_DECODE_WIDTH = 1280  # bigger frames are scaled down: codes stay readable, decoding is fast


def camera_available() -> bool:
    """True when the system reports at least one video input (webcam)."""
    try:
        from PySide6.QtMultimedia import QMediaDevices

        return bool(QMediaDevices.videoInputs())
    except Exception:  # no multimedia backend at all: treat as "no camera", never crash
        log.info("Qt Multimedia is not usable here; camera scanning is off")
        return False


class FrameDecoder(QObject):
    """Turns frames into card numbers on a worker thread; emits ``decoded`` on the UI thread."""

    decoded = Signal(str)
    _finished = Signal(str)  # numbers joined by spaces: plain strings cross threads safely

    def __init__(
        self, parent: QObject | None = None, interval_ms: int = 150, repeat_after_ms: int = 3000
    ) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.repeat_after_ms = repeat_after_ms
        self.busy = False
        self.frames_offered = 0
        self.frames_decoded = 0
        self._since_last = QElapsedTimer()
        self._since_reported = QElapsedTimer()
        self._last_number = ""
        # a plain Python worker thread: it never touches a widget, only emits ``_finished``
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="camera-decode")
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        pool = self._pool
        self.destroyed.connect(lambda *_: pool.shutdown(wait=False, cancel_futures=True))

    def offer(self, image: QImage) -> bool:
        """Take this frame if the worker is free and enough time passed; True when taken."""
        self.frames_offered += 1
        if self.busy or image.isNull():
            return False
        if self._since_last.isValid() and self._since_last.elapsed() < self.interval_ms:
            return False
        self._since_last.start()
        frame = image
        if frame.width() > MAX_DECODE_WIDTH:
            frame = frame.scaledToWidth(
                MAX_DECODE_WIDTH, Qt.TransformationMode.SmoothTransformation
            )
        frame = frame.convertToFormat(QImage.Format.Format_Grayscale8)  # a deep copy as well
        self.busy = True
        self._pool.submit(self._decode, frame)
        return True

    def _decode(self, frame: QImage) -> None:
        """Runs on the worker thread."""
        try:
            numbers = card_numbers_in(frame)
        except Exception:  # a decoder crash on one frame must not stop scanning
            log.exception("decoding a camera frame failed")
            numbers = []
        with contextlib.suppress(RuntimeError):  # the scanner closed while this frame decoded
            self._finished.emit(" ".join(numbers))

    @Slot(str)
    def _on_finished(self, joined: str) -> None:
        numbers = joined.split()
        self.busy = False
        self.frames_decoded += 1
        if not numbers:
            return
        number = numbers[0]
        if (
            number == self._last_number
            and self._since_reported.isValid()
            and self._since_reported.elapsed() < self.repeat_after_ms
        ):
            return
        self._last_number = number
        self._since_reported.start()
        self.decoded.emit(number)

    def close(self) -> None:
        """Stop taking frames; a frame being decoded finishes and is dropped."""
        self.busy = True
        self._pool.shutdown(wait=False, cancel_futures=True)


class CameraScanner(QWidget):
    """Live camera preview that reports card numbers it reads."""

    cardScanned = Signal(str)

    def __init__(self, parent: QWidget | None = None, device: object | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self.setObjectName("cameraScanner")
        self.decoder = FrameDecoder(self)
        self.decoder.decoded.connect(self.cardScanned)
        self.preview = QVideoWidget(self)
        self.preview.setMinimumSize(480, 270)
        self.hint = QLabel(self.tr("Hold the card's QR code or barcode up to the camera."))
        self.hint.setObjectName("cameraHint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.hint)

        self.camera = QCamera(device or QMediaDevices.defaultVideoInput(), self)
        self.session = QMediaCaptureSession(self)
        self.session.setCamera(self.camera)
        self.session.setVideoOutput(self.preview)
        self.preview.videoSink().videoFrameChanged.connect(self._on_frame)
        self.camera.errorOccurred.connect(self._on_error)

    def start(self) -> None:
        if self.camera.cameraDevice().isNull():
            self.hint.setText(self.tr("No camera is connected."))
            return
        self.camera.start()
        if self.camera.error() != self.camera.Error.NoError:
            self._on_error(self.camera.error(), self.camera.errorString())

    def stop(self) -> None:
        self.camera.stop()

    def _on_frame(self, frame: object) -> None:
        if self.decoder.busy:  # skip the conversion entirely while the worker is busy
            return
        image = frame.toImage()  # type: ignore[attr-defined]
        self.decoder.offer(image)

    def _on_error(self, _error: object, text: str) -> None:
        log.warning("camera error: %s", text)
        self.hint.setText(self.tr("The camera stopped: %1").replace("%1", text))

    def hideEvent(self, event: object) -> None:  # the camera light goes off with the window
        self.stop()
        super().hideEvent(event)  # type: ignore[arg-type]


class CameraScanDialog(QDialog):
    """The scanner in a dialog: one card read closes it and is emitted as ``cardScanned``."""

    cardScanned = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraScanDialog")
        self.setWindowTitle(self.tr("Scan a card with the camera"))
        self.scanner = CameraScanner(self)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scanner, 1)
        layout.addWidget(cancel, 0, Qt.AlignmentFlag.AlignRight)
        self.scanner.cardScanned.connect(self._scanned)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.scanner.start()

    def _scanned(self, number: str) -> None:
        self.scanner.stop()
        self.cardScanned.emit(number)
        self.accept()
