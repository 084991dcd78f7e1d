import logging

from jiuye.logfilters import RedactQueryStrings


def test_query_strings_with_personal_data_never_reach_the_log():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /persons/?q=610102199003070112&name=张伟 HTTP/1.1", 200, 512), None)
    RedactQueryStrings().filter(record)
    message = record.getMessage()
    assert "610102199003070112" not in message and "张伟" not in message
    assert message.startswith('"GET /persons/?')
