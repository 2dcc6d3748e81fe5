"""What people ask and how the bot fares: figures over the question log for the insights
page (`/console/admin/insights`) and `motcua report`."""
