-- Argo CD health check for porting.numberport.io/PortRequest.
--
-- A port takes four to six weeks, most of them spent waiting for the losing
-- carrier. That wait is an observed state, not work in progress, so it is
-- Healthy: an Application that showed Progressing for weeks would hold back
-- every later sync wave. Degraded is kept for what a person must fix, which
-- the operator reports with the Stalled condition, and for orders that ended
-- without porting anything.
--
-- Argo CD runs custom health checks without the Lua standard libraries
-- unless useOpenLibs is set, so this script uses only the base functions: no
-- string.format and no string methods.

local metadata = obj.metadata or {}
local status = obj.status

local function result(health, message)
  return {status = health, message = message}
end

local function condition(condType)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == condType then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function hasText(s)
  return s ~= nil and s ~= ""
end

-- explain reads a condition as "Reason: message", the way kubectl users see
-- it in the Action and Message columns.
local function explain(c)
  if not hasText(c.reason) then
    return c.message or ""
  end
  if not hasText(c.message) then
    return c.reason
  end
  return c.reason .. ": " .. c.message
end

local ready = condition("Ready")

-- readyMessage is the operator's own sentence for the phase, when Ready is
-- True. A False Ready outside Pending is a transient provider error, which
-- is added to the phase's message instead of replacing it.
local function readyMessage(fallback)
  if isTrue(ready) and hasText(ready.message) then
    return ready.message
  end
  local message = fallback
  if ready ~= nil and ready.status == "False" and hasText(ready.message) then
    message = message .. ". " .. explain(ready)
  end
  return message
end

-- reminder repeats, once the port is over, that only the losing carrier can
-- confirm the numbers left the account.
local function reminder()
  local c = condition("LosingAccountVerified")
  if c ~= nil and c.status ~= "True" and hasText(c.message) then
    return ". " .. c.message
  end
  return ""
end

local function notPorted()
  local total, missing = 0, 0
  if status.numbers ~= nil then
    for _, n in ipairs(status.numbers) do
      total = total + 1
      if n.state ~= "Ported" then
        missing = missing + 1
      end
    end
  end
  if missing == 0 then
    return "Some numbers could not be ported"
  end
  return missing .. " of " .. total .. " numbers could not be ported"
end

-- Deletion cancels an order still in flight. A provider that refuses
-- because the port date is too close leaves the PortRequest in place until
-- the port ends, and a person may want to know why it does not go away.
if metadata.deletionTimestamp ~= nil then
  local stalled = condition("Stalled")
  if isTrue(stalled) and stalled.reason == "CancelRefused" then
    return result("Degraded", explain(stalled))
  end
  return result("Progressing",
    "Being deleted: an order still in flight is cancelled with the provider first")
end

-- A status written for an older spec says nothing about the current one.
local generation = metadata.generation
if status == nil or (generation ~= nil and (status.observedGeneration or 0) < generation) then
  if generation == nil then
    return result("Progressing", "Waiting for the operator to observe the PortRequest")
  end
  return result("Progressing", "Waiting for the operator to observe generation " .. generation)
end

local stalled = condition("Stalled")
if isTrue(stalled) then
  return result("Degraded", explain(stalled))
end

local phase = status.phase
if not hasText(phase) then
  return result("Progressing", "Waiting for the operator to report a phase")
end

if phase == "Pending" then
  if ready ~= nil and hasText(ready.message) then
    return result("Progressing", "Pending: " .. ready.message)
  end
  return result("Progressing", "Pending: The order is being validated and submitted")
end

if phase == "Submitted" then
  return result("Healthy", "Submitted: " ..
    readyMessage("Waiting for the losing carrier to confirm a port date"))
end

if phase == "Scheduled" then
  if hasText(status.portDate) then
    local message = "Scheduled: The numbers move at " .. status.portDate
    if ready ~= nil and ready.status == "False" and hasText(ready.message) then
      message = message .. ". " .. explain(ready)
    end
    return result("Healthy", message)
  end
  return result("Healthy", "Scheduled: " .. readyMessage("The port date is confirmed"))
end

-- Without Stalled, which normally carries the rejection, the rejection
-- itself still says what to fix.
if phase == "ActionRequired" then
  local rejection = status.rejection
  if rejection ~= nil and hasText(rejection.code) then
    return result("Degraded", "ActionRequired: " ..
      explain({reason = rejection.code, message = rejection.message}))
  end
  return result("Degraded",
    "ActionRequired: The losing carrier rejected the order; see status.rejection")
end

if phase == "Completed" then
  return result("Healthy", "Completed: " .. readyMessage("Every number was ported") ..
    reminder())
end

-- The order is over and the numbers that moved work, so the PortRequest is
-- Healthy. The numbers that did not move fail on their own PhoneNumbers,
-- which Argo CD shows as Degraded.
if phase == "PartiallyCompleted" then
  return result("Healthy", "PartiallyCompleted: " .. notPorted() ..
    " (see status.numbers); their PhoneNumbers show Degraded" .. reminder())
end

-- The Ready condition of an ended order no longer describes it, so the
-- terminal phases carry their own message.
if phase == "Cancelled" then
  return result("Degraded",
    "Cancelled: The order was cancelled. Create a new PortRequest to port the numbers")
end

if phase == "Failed" then
  return result("Degraded",
    "Failed: The order cannot go on. Create a new PortRequest to port the numbers")
end

return result("Progressing", "Phase " .. phase ..
  " is not known to this health check, which may be older than the operator")
