"""gunicorn settings for quietdesk.

The access log names no one: no client address, query string, referrer or user
agent, and no identifier from a path. Each request is logged by the route it
matched (``GET /patrons/<uuid:patron_id>/``), with the time to the minute:
quietdesk/core/serverlog.py. Keep ``logger_class`` when changing the format.
"""

import os

# Not `from quietdesk import config`: gunicorn takes every top-level name here for a setting.
import quietdesk.config
import quietdesk.private_files

# Before the workers fork: what they create (SQLite files, backups...) is 0600.
quietdesk.private_files.restrict_process()
# The installation's configuration file (var/quietdesk.env, /etc/quietdesk/quietdesk.env or
# QUIETDESK_CONFIG), read here too so that a broken file stops the server at once.
quietdesk.config.load()

bind = [os.environ.get("QUIETDESK_BIND", "127.0.0.1:8000")]
workers = 2
threads = 4
timeout = 60
umask = 0o077
logger_class = "quietdesk.core.serverlog.PrivateLogger"
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = "warning"
forwarded_allow_ips = "127.0.0.1"
