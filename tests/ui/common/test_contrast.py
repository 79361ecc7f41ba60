from PySide6.QtGui import QColor, QPalette

from counsel_ui.common.contrast import is_high_contrast


def test_detects_white_on_black_and_black_on_white_only(qapp):
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#000000"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
    assert is_high_contrast(pal)
    pal.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#202020"))
    assert not is_high_contrast(pal)  # an ordinary light theme
    pal.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    assert is_high_contrast(pal)
