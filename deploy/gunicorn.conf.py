"""gunicorn settings for quietdesk. The access log names no one: no client
address, no query string, no referrer, no user agent."""

workers = 2
threads = 4
timeout = 60
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = "warning"
forwarded_allow_ips = "127.0.0.1"
