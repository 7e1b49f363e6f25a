"""The HTML helpers escape every piece of text they are given."""

from glassnet.views import report_html as h


def test_text_is_escaped_everywhere():
    evil = '<script>alert("x")</script>'
    out = "".join(
        [
            h.paragraph(evil, cls='"><script>'),
            h.table([evil], [[evil, evil]]),
            h.section(evil, evil, ["<b>trusted</b>"]),
            h.image(b"\x89PNG", evil),
            h.page(evil, [(evil, evil, "")]),
        ]
    )
    assert "<script>" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out
    assert "<b>trusted</b>" in out


def test_image_is_a_data_uri():
    assert h.image(b"abc", "cap").startswith('<figure><img src="data:image/png;base64,YWJj"')
